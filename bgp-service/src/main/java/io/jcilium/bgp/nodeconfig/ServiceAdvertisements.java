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
 * The host routes of a {@code Service} advertisement, as upstream's BGP service
 * reconciler picks them: no selector selects no service; the selector matches the
 * service's labels plus {@code io.kubernetes.service.name} and
 * {@code io.kubernetes.service.namespace}; {@code service.addresses} says which of its
 * addresses ({@code LoadBalancerIP}, {@code ExternalIP}); a service with
 * {@code externalTrafficPolicy: Local} is advertised only by a node that has a backend
 * for it (the agent says so), so routers never send its traffic to a node that would drop
 * it. The addresses are those the local agent serves.
 */
final class ServiceAdvertisements {

	static final String SERVICE_NAME_LABEL = "io.kubernetes.service.name";

	static final String SERVICE_NAMESPACE_LABEL = "io.kubernetes.service.namespace";

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
			AdvertisementSelection.addOnce(notices,
					owner + ": a Service advertisement needs service.addresses (LoadBalancerIP, ExternalIP)");
			return;
		}
		if (addresses.contains("ClusterIP")) {
			AdvertisementSelection.addOnce(notices, owner + ": ClusterIP addresses are not advertised yet");
		}
		if (entry.service.aggregationLengthIPv4 != null || entry.service.aggregationLengthIPv6 != null) {
			AdvertisementSelection.addOnce(notices,
					owner + ": aggregationLengthIPv4/IPv6 are not applied; each address is a host route");
		}
		LabelSelector selector = Selectors.of(entry.selector, owner + " selector");
		for (ServedLoadBalancerIp served : agent.getLoadBalancerIpsList()) {
			if (!addresses.contains(served.getKind())
					|| (served.getExternalTrafficPolicyLocal() && !served.getLocalBackends())
					|| !selector.matches(Labels.fromMap(labels(served), "k8s"))) {
				continue;
			}
			Prefix prefix = hostRoute(served.getIp());
			if (prefix == null) {
				AdvertisementSelection.addOnce(notices, "the agent's address " + served.getIp() + " of service "
						+ served.getServiceNamespace() + "/" + served.getServiceName() + " is not an IP address");
			}
			else if (prefix.family() == family) {
				routes.merge(prefix, attributes, AdvertisementSelection::merge);
			}
		}
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
