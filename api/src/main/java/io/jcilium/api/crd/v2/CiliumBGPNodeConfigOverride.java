package io.jcilium.api.crd.v2;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.jcilium.api.crd.CiliumGroup;

/**
 * Per-node settings (router id, local port, local ASN, a peer's local address) for the
 * node named like the resource; the operator folds them into that node's
 * {@link CiliumBGPNodeConfig}.
 */
@Group(CiliumGroup.GROUP)
@Version(CiliumGroup.V2)
@ShortNames("cbgpnodeoverride")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CiliumBGPNodeConfigOverride extends CustomResource<CiliumBGPNodeConfigOverride.Spec, Void> {

	private static final long serialVersionUID = 1L;

	/** The instances to override. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class Spec {

		@Required
		public List<Instance> bgpInstances;

	}

	/** Overrides for one instance, by name. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class Instance {

		@Required
		public String name;

		public String routerID;

		public Integer localPort;

		public Long localASN;

		public List<Peer> peers;

	}

	/** Overrides for one peer, by name. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class Peer {

		@Required
		public String name;

		public String localAddress;

		/** Deprecated upstream and without effect: the kernel picks the source port. */
		public Integer localPort;

	}

}
