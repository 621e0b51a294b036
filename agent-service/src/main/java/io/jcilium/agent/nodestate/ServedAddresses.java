package io.jcilium.agent.nodestate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.jcilium.agent.service.lb.FrontendKind;
import io.jcilium.agent.service.lb.LbFrontend;
import io.jcilium.agent.service.lb.Scope;
import io.jcilium.agent.service.translate.NodeView;
import io.jcilium.agent.service.translate.ServiceTranslator;
import io.jcilium.api.agent.v1.ServedLoadBalancerIp;
import io.jcilium.common.net.IpAddress;

/**
 * The LoadBalancer, external and cluster IPs of one service as this node's load balancer
 * serves them: the frontends the service translation gives (so a service with no port, or
 * an address the translation refuses, is served nowhere and announced nowhere), one entry
 * per address. Under the traffic policy that governs an address ({@code external} for
 * LoadBalancer and external IPs, {@code internal} for cluster IPs) set to {@code Local},
 * an address has a local backend when any of its ports' frontends has one, the backends
 * of such a frontend being this node's only. The service's {@code loadBalancerClass} goes
 * along, for bgp-service to honour as upstream does.
 */
final class ServedAddresses {

	/** Upstream's CiliumBGPAdvertisement {@code service.addresses} names. */
	static final String LOAD_BALANCER_IP = "LoadBalancerIP";

	static final String EXTERNAL_IP = "ExternalIP";

	static final String CLUSTER_IP = "ClusterIP";

	private ServedAddresses() {
	}

	/**
	 * @param service the Service
	 * @param slices its EndpointSlices
	 * @param nodeName this node, for the Local traffic policy
	 * @return one entry per served address, in the translation's order
	 */
	static List<ServedLoadBalancerIp> of(Service service, List<EndpointSlice> slices, String nodeName) {
		boolean externalLocal = service.getSpec() != null
				&& "Local".equals(service.getSpec().getExternalTrafficPolicy());
		boolean internalLocal = service.getSpec() != null
				&& "Local".equals(service.getSpec().getInternalTrafficPolicy());
		String loadBalancerClass = (service.getSpec() != null)
				? Objects.requireNonNullElse(service.getSpec().getLoadBalancerClass(), "") : "";
		Map<String, String> labels = Objects.requireNonNullElse(service.getMetadata().getLabels(), Map.of());
		Map<String, ServedLoadBalancerIp.Builder> byAddress = new LinkedHashMap<>();
		for (LbFrontend frontend : ServiceTranslator.translate(service, slices, new NodeView(nodeName, List.of()))
			.frontends()) {
			String kind = kind(frontend.kind());
			if (kind == null || frontend.key().scope() != Scope.EXTERNAL) {
				continue;
			}
			String ip = IpAddress.format(frontend.key().address().address());
			ServedLoadBalancerIp.Builder entry = byAddress.computeIfAbsent(ip,
					(address) -> ServedLoadBalancerIp.newBuilder()
						.setIp(address)
						.setServiceNamespace(service.getMetadata().getNamespace())
						.setServiceName(service.getMetadata().getName())
						.setKind(kind)
						.putAllServiceLabels(labels)
						.setExternalTrafficPolicyLocal(externalLocal)
						.setInternalTrafficPolicyLocal(internalLocal)
						.setLoadBalancerClass(loadBalancerClass));
			boolean local = CLUSTER_IP.equals(kind) ? internalLocal : externalLocal;
			if (local && !frontend.backends().isEmpty()) {
				entry.setLocalBackends(true);
			}
		}
		List<ServedLoadBalancerIp> served = new ArrayList<>();
		byAddress.values().forEach((entry) -> served.add(entry.build()));
		return served;
	}

	private static String kind(FrontendKind kind) {
		return switch (kind) {
			case LOAD_BALANCER -> LOAD_BALANCER_IP;
			case EXTERNAL_IP -> EXTERNAL_IP;
			case CLUSTER_IP -> CLUSTER_IP;
			default -> null;
		};
	}

}
