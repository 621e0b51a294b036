package io.jcilium.api.crd.v2;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.jcilium.api.crd.CiliumGroup;

/**
 * BGP instances and their peers for the nodes a selector picks (upstream's BGP control
 * plane v2). The operator turns it into one {@link CiliumBGPNodeConfig} per selected
 * node.
 */
@Group(CiliumGroup.GROUP)
@Version(CiliumGroup.V2)
@ShortNames("cbgpcluster")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CiliumBGPClusterConfig extends CustomResource<CiliumBGPClusterConfig.Spec, CiliumBGPClusterConfig.Status> {

	private static final long serialVersionUID = 1L;

	/** Upstream's condition: the node selector selects no node. */
	public static final String CONDITION_NO_MATCHING_NODE = "cilium.io/NoMatchingNode";

	/**
	 * Upstream's condition: a peer's peerConfigRef names a missing CiliumBGPPeerConfig.
	 */
	public static final String CONDITION_MISSING_PEER_CONFIGS = "cilium.io/MissingPeerConfigs";

	/** Upstream's condition: another cluster config selects one of the same nodes. */
	public static final String CONDITION_CONFLICTING_CLUSTER_CONFIGS = "cilium.io/ConflictingClusterConfig";

	/** The nodes and their BGP instances. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class Spec {

		/** Nodes this config applies to; none means every node. */
		public LabelSelector nodeSelector;

		@Required
		public List<Instance> bgpInstances;

	}

	/** One BGP instance (virtual router). */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class Instance {

		@Required
		public String name;

		public Long localASN;

		/** Where the instance listens; none means it does not listen. */
		public Integer localPort;

		public List<Peer> peers;

	}

	/** One BGP peer of an instance. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class Peer {

		@Required
		public String name;

		public String peerAddress;

		/** 0 takes the peer's AS from its OPEN. */
		public Long peerASN;

		public AutoDiscovery autoDiscovery;

		public PeerConfigReference peerConfigRef;

	}

	/** How to find a peer's address when none is given. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class AutoDiscovery {

		/** {@code DefaultGateway}. */
		@Required
		public String mode;

		public DefaultGateway defaultGateway;

	}

	/** The default gateway of one family as the peer. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class DefaultGateway {

		/** {@code ipv4} or {@code ipv6}. */
		@Required
		public String addressFamily;

	}

	/** Names the CiliumBGPPeerConfig holding a peer's settings. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class PeerConfigReference {

		@Required
		public String name;

	}

	/** Conditions of the config, set by the operator. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class Status {

		public List<Condition> conditions;

	}

}
