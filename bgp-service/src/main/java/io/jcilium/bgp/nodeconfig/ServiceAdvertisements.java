package io.jcilium.bgp.nodeconfig;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.jcilium.api.agent.v1.NodeState;
import io.jcilium.api.agent.v1.ServedLoadBalancerIp;
import io.jcilium.api.crd.v2.CiliumBGPAdvertisement;
import io.jcilium.bgp.rib.RouteAttributes;
import io.jcilium.bgp.wire.AddressFamily;
import io.jcilium.bgp.wire.Prefix;
import io.jcilium.common.label.Labels;
import io.jcilium.common.selector.LabelSelector;

/**
 * The routes of a {@code Service} advertisement, as upstream's BGP service reconciler
 * picks them: no selector selects no service; the selector matches the service's labels
 * plus {@code io.kubernetes.service.name} and {@code io.kubernetes.service.namespace};
 * {@code service.addresses} says which of its addresses ({@code LoadBalancerIP},
 * {@code ExternalIP}, {@code ClusterIP}). A LoadBalancer IP is advertised only when the
 * service has no {@code loadBalancerClass} or {@code io.cilium/bgp-control-plane}
 * (another class belongs to another announcer). An address whose traffic policy is
 * {@code Local} ({@code externalTrafficPolicy} for LoadBalancer and external IPs,
 * {@code internalTrafficPolicy} for cluster IPs) is advertised only by a node that has a
 * backend for it (the agent says so), so routers never send its traffic to a node that
 * would drop it, and always as a host route; any other address is aggregated to
 * {@code aggregationLengthIPv4}/{@code IPv6} when set (RFC 4632), else a host route. The
 * addresses are those the local agent serves.
 */
final class ServiceAdvertisements {

	static final String SERVICE_NAME_LABEL = "io.kubernetes.service.name";

	static final String SERVICE_NAMESPACE_LABEL = "io.kubernetes.service.namespace";

	/** Upstream's {@code v2alpha1.BGPLoadBalancerClass}. */
	static final String BGP_LOAD_BALANCER_CLASS = "io.cilium/bgp-control-plane";

	static final String CLUSTER_IP = "ClusterIP";

	private static final List<String> KINDS = List.of("LoadBalancerIP", "ExternalIP", CLUSTER_IP);

	private ServiceAdvertisements() {
	}

	/**
	 * @param advertisement the CiliumBGPAdvertisement's name, for messages
	 * @param entry its {@code Service} entry
	 * @param family the peer family the routes are for
	 * @param agent the local agent's node state, {@code null} while none is known
	 * @param attributes the entry's path attributes
	 * @param routes where the routes go
	 * @param notices what cannot be honoured
	 */
	static void select(String advertisement, CiliumBGPAdvertisement.Advertisement entry, AddressFamily family,
			NodeState agent, RouteAttributes attributes, Map<Prefix, RouteAttributes> routes, List<String> notices) {
		String owner = "CiliumBGPAdvertisement " + advertisement;
		if (agent == null) {
			AdvertisementSelection.addOnce(notices, owner + ": Service advertisements need the local agent's node "
					+ "state (set bgp.agent-address) and none has been received yet");
			return;
		}
		if (entry.selector == null) {
			return; // upstream: a Service advertisement without a selector selects
					// nothing
		}
		List<String> addresses = (entry.service != null)
				? Objects.requireNonNullElse(entry.service.addresses, List.<String>of()) : List.of();
		if (addresses.isEmpty()) {
			AdvertisementSelection.addOnce(notices, owner
					+ ": a Service advertisement needs service.addresses (LoadBalancerIP, ExternalIP, ClusterIP)");
			return;
		}
		int length = aggregationLength(owner, entry.service, family);
		select(owner, Selectors.of(entry.selector, owner + " selector"), addresses, family, length, agent, attributes,
				routes, notices);
	}

	/**
	 * The routes of the services one selector picks, shared by the v2 advertisements and
	 * the v1 peering policy's {@code serviceSelector}.
	 * @param owner the resource, for messages
	 * @param selector picks the services
	 * @param addresses which addresses of theirs
	 * @param family the family the routes are for
	 * @param aggregationLength the prefix length of aggregatable addresses in that family
	 * @param agent the local agent's node state
	 * @param attributes the routes' path attributes
	 * @param routes where the routes go
	 * @param notices what cannot be honoured
	 */
	static void select(String owner, LabelSelector selector, List<String> addresses, AddressFamily family,
			int aggregationLength, NodeState agent, RouteAttributes attributes, Map<Prefix, RouteAttributes> routes,
			List<String> notices) {
		for (String kind : addresses) {
			if (!KINDS.contains(kind)) {
				AdvertisementSelection.addOnce(notices,
						owner + ": service address type " + kind + " is unknown; use one of " + KINDS);
			}
		}
		for (ServedLoadBalancerIp served : agent.getLoadBalancerIpsList()) {
			if (!addresses.contains(served.getKind()) || !advertisable(served)
					|| !selector.matches(Labels.fromMap(labels(served), "k8s"))) {
				continue;
			}
			Prefix host = hostRoute(served.getIp());
			if (host == null) {
				AdvertisementSelection.addOnce(notices, "the agent's address " + served.getIp() + " of service "
						+ served.getServiceNamespace() + "/" + served.getServiceName() + " is not an IP address");
			}
			else if (host.family() == family) {
				Prefix prefix = localPolicy(served) ? host : Prefix.of(host.address(), aggregationLength);
				routes.merge(prefix, attributes, AdvertisementSelection::merge);
			}
		}
	}

	private static boolean advertisable(ServedLoadBalancerIp served) {
		if ("LoadBalancerIP".equals(served.getKind()) && !served.getLoadBalancerClass().isEmpty()
				&& !BGP_LOAD_BALANCER_CLASS.equals(served.getLoadBalancerClass())) {
			return false;
		}
		return !localPolicy(served) || served.getLocalBackends();
	}

	/** Whether the traffic policy that governs this address is {@code Local}. */
	private static boolean localPolicy(ServedLoadBalancerIp served) {
		return CLUSTER_IP.equals(served.getKind()) ? served.getInternalTrafficPolicyLocal()
				: served.getExternalTrafficPolicyLocal();
	}

	/**
	 * The prefix length of aggregatable addresses: the entry's
	 * {@code aggregationLengthIPv4}/{@code IPv6}, else a host route. Upstream's CRD
	 * allows 0-31 and 0-127; a lab file has no such check, so it is made here.
	 */
	private static int aggregationLength(String owner, CiliumBGPAdvertisement.ServiceOptions service,
			AddressFamily family) {
		boolean ipv4 = family == AddressFamily.IPV4_UNICAST;
		Integer length = ipv4 ? service.aggregationLengthIPv4 : service.aggregationLengthIPv6;
		int bits = family.addressBits();
		if (length == null) {
			return bits;
		}
		if (length < 0 || length > bits - 1) {
			throw new NodeConfigException(owner + ": service.aggregationLength" + (ipv4 ? "IPv4 " : "IPv6 ") + length
					+ " is out of 0-" + (bits - 1));
		}
		return length;
	}

	private static Map<String, String> labels(ServedLoadBalancerIp served) {
		Map<String, String> labels = new HashMap<>(served.getServiceLabelsMap());
		labels.put(SERVICE_NAME_LABEL, served.getServiceName());
		labels.put(SERVICE_NAMESPACE_LABEL, served.getServiceNamespace());
		return labels;
	}

	private static Prefix hostRoute(String ip) {
		try {
			return Prefix.parse(ip + ((ip.indexOf(':') >= 0) ? "/128" : "/32"));
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
