package io.jcilium.api.crd.v2alpha1;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.jcilium.api.crd.CiliumGroup;

/**
 * A multi-pool IPAM pool: CIDRs per family, carved into {@code maskSize} blocks for
 * nodes.
 */
@Group(CiliumGroup.GROUP)
@Version(CiliumGroup.V2ALPHA1)
@ShortNames("cpip")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CiliumPodIPPool extends CustomResource<CiliumPodIPPool.Spec, Void> {

	private static final long serialVersionUID = 1L;

	/**
	 * The pool's CIDRs per family, and optionally which pods and namespaces it serves.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class Spec {

		public FamilySpec ipv4;

		public FamilySpec ipv6;

		public LabelSelector namespaceSelector;

		public LabelSelector podSelector;

	}

	/** CIDRs of one family and the block size handed to nodes. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class FamilySpec {

		public List<String> cidrs;

		public Integer maskSize;

	}

}
