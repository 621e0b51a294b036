package io.jcilium.api.crd.v2;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.jcilium.api.crd.CiliumGroup;

/**
 * One node's BGP instances and peers, named after the node: written by the operator from
 * the cluster configs and overrides, read by that node's speaker, which reports its peers
 * in the status.
 */
@Group(CiliumGroup.GROUP)
@Version(CiliumGroup.V2)
@ShortNames("cbgpnode")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CiliumBGPNodeConfig extends CustomResource<CiliumBGPNodeConfig.Spec, CiliumBGPNodeConfig.Status> {

	private static final long serialVersionUID = 1L;

	/** The node's instances. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class Spec {

		@Required
		public List<Instance> bgpInstances;

	}

	/** One instance as the node runs it. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class Instance {

		@Required
		public String name;

		public Long localASN;

		/** From the override; else derived from a node address. */
		public String routerID;

		public Integer localPort;

		public List<Peer> peers;

	}

	/** One peer as the node runs it. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class Peer {

		@Required
		public String name;

		public String peerAddress;

		public Long peerASN;

		public CiliumBGPClusterConfig.AutoDiscovery autoDiscovery;

		/** From the override. */
		public String localAddress;

		public CiliumBGPClusterConfig.PeerConfigReference peerConfigRef;

	}

	/** What the node's speaker reports. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class Status {

		public List<InstanceStatus> bgpInstances;

		public List<Condition> conditions;

	}

	/** One instance's peers. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class InstanceStatus {

		@Required
		public String name;

		public Long localASN;

		public List<PeerStatus> peers;

	}

	/** One peer's session. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class PeerStatus {

		@Required
		public String name;

		@Required
		public String peerAddress;

		public Long peerASN;

		/** {@code established}, {@code active}, ... */
		public String peeringState;

		public Timers timers;

		/** RFC 3339, UTC. */
		public String establishedTime;

		public List<RouteCount> routeCount;

	}

	/** The negotiated timers. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class Timers {

		public Integer appliedHoldTimeSeconds;

		public Integer appliedKeepaliveSeconds;

	}

	/** Routes exchanged in one family. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class RouteCount {

		@Required
		public String afi;

		@Required
		public String safi;

		public Integer received;

		public Integer advertised;

	}

}
