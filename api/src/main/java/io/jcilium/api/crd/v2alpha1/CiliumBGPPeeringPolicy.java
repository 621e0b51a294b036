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
 * BGP virtual routers and their neighbors for the selected nodes.
 */
@Group(CiliumGroup.GROUP)
@Version(CiliumGroup.V2ALPHA1)
@ShortNames("bgpp")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CiliumBGPPeeringPolicy extends CustomResource<CiliumBGPPeeringPolicy.Spec, Void> {

	private static final long serialVersionUID = 1L;

	/** Nodes the policy applies to and their routers. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class Spec {

		public LabelSelector nodeSelector;

		public List<VirtualRouter> virtualRouters;

	}

	/** One BGP speaker instance: local ASN, what it advertises, its neighbors. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class VirtualRouter {

		public Long localASN;

		public Boolean exportPodCIDR;

		public LabelSelector podIPPoolSelector;

		public LabelSelector serviceSelector;

		/** LoadBalancerIP, ClusterIP, ExternalIP. */
		public List<String> serviceAdvertisements;

		public List<Neighbor> neighbors;

	}

	/** A BGP peer of a virtual router. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class Neighbor {

		/** The peer's address as a CIDR, e.g. {@code 10.0.0.1/32}. */
		public String peerAddress;

		public Integer peerPort;

		public Long peerASN;

		public String authSecretRef;

		public Integer eBGPMultihopTTL;

		public Integer connectRetryTimeSeconds;

		public Integer holdTimeSeconds;

		public Integer keepAliveTimeSeconds;

		public GracefulRestart gracefulRestart;

		public List<Family> families;

		public List<PathAttributes> advertisedPathAttributes;

	}

	/** BGP graceful restart (RFC 4724) settings. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class GracefulRestart {

		public Boolean enabled;

		public Integer restartTimeSeconds;

	}

	/** An address family to negotiate: afi ipv4/ipv6, safi unicast/multicast. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class Family {

		public String afi;

		public String safi;

	}

	/** Attributes (communities, local preference) for selected advertisements. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class PathAttributes {

		/** PodCIDR, CiliumLoadBalancerIPPool or CiliumPodIPPool. */
		public String selectorType;

		public LabelSelector selector;

		public Communities communities;

		public Long localPreference;

	}

	/** BGP communities to attach. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class Communities {

		public List<String> standard;

		public List<String> wellKnown;

		public List<String> large;

	}

}
