package io.jcilium.agent.service.translate;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.jcilium.common.net.IpAddress;
import io.jcilium.common.net.Protocol;

import io.jcilium.agent.service.lb.FrontendKey;
import io.jcilium.agent.service.lb.FrontendKind;
import io.jcilium.agent.service.lb.L4Address;
import io.jcilium.agent.service.lb.LbFrontend;
import io.jcilium.agent.service.lb.Scope;

/**
 * A Service and its EndpointSlices as frontends: ClusterIPs, NodePorts on this node's
 * addresses, ExternalIPs and LoadBalancer ingress IPs, one per service port and family,
 * each with the backends of its port and family. Traffic policies as upstream: with
 * {@code internalTrafficPolicy: Local} in-cluster clients get this node's backends only,
 * with {@code externalTrafficPolicy: Local} traffic from outside does; when the two sets
 * differ an external frontend carries both (two scopes). {@code appProtocol} does not
 * change load balancing. Pure: no I/O.
 */
public final class ServiceTranslator {

	/** Kubernetes' default {@code sessionAffinityConfig.clientIP.timeoutSeconds}. */
	static final int DEFAULT_AFFINITY_TIMEOUT_SECONDS = 10800;

	private ServiceTranslator() {
	}

	/**
	 * @param service the Service
	 * @param slices its EndpointSlices
	 * @param node this node
	 * @return the frontends and any problems
	 */
	public static Translation translate(Service service, List<EndpointSlice> slices, NodeView node) {
		List<String> problems = new ArrayList<>();
		ServiceSpec spec = service.getSpec();
		if (spec == null || "ExternalName".equals(spec.getType())) {
			return new Translation(List.of(), problems);
		}
		Context context = new Context(spec, slices, node, problems);
		Map<FrontendKey, LbFrontend> frontends = new LinkedHashMap<>();
		List<InetAddress> clusterIps = addresses(clusterIps(spec), "clusterIPs", problems);
		Set<Boolean> families = clusterIps.stream().map((a) -> a instanceof Inet4Address).collect(Collectors.toSet());
		boolean nodePorts = "NodePort".equals(spec.getType()) || "LoadBalancer".equals(spec.getType());
		for (ServicePort port : nonNull(spec.getPorts())) {
			Protocol protocol = protocol(port, problems);
			if (protocol == null || port.getPort() == null) {
				continue;
			}
			String portName = Objects.requireNonNullElse(port.getName(), "");
			PortFrontends out = new PortFrontends(context, portName, protocol, frontends);
			clusterIps.forEach((ip) -> out.add(ip, port.getPort(), FrontendKind.CLUSTER_IP));
			if (nodePorts && port.getNodePort() != null && port.getNodePort() > 0) {
				node.addresses()
					.stream()
					.filter((a) -> families.contains(a instanceof Inet4Address))
					.forEach((a) -> out.add(a, port.getNodePort(), FrontendKind.NODE_PORT));
			}
			addresses(nonNull(spec.getExternalIPs()), "externalIPs", problems)
				.forEach((ip) -> out.add(ip, port.getPort(), FrontendKind.EXTERNAL_IP));
			if ("LoadBalancer".equals(spec.getType())) {
				loadBalancerIps(service, problems)
					.forEach((ip) -> out.add(ip, port.getPort(), FrontendKind.LOAD_BALANCER));
			}
		}
		return new Translation(List.copyOf(frontends.values()), problems);
	}

	private static List<String> clusterIps(ServiceSpec spec) {
		List<String> ips = nonNull(spec.getClusterIPs()).isEmpty()
				? ((spec.getClusterIP() != null) ? List.of(spec.getClusterIP()) : List.of()) : spec.getClusterIPs();
		// "None": a headless service, resolved by DNS to its pods, never load balanced
		return ips.stream().filter((ip) -> !ip.isBlank() && !"None".equals(ip)).toList();
	}

	private static List<InetAddress> loadBalancerIps(Service service, List<String> problems) {
		if (service.getStatus() == null || service.getStatus().getLoadBalancer() == null) {
			return List.of();
		}
		List<String> ips = nonNull(service.getStatus().getLoadBalancer().getIngress()).stream()
			.map(LoadBalancerIngress::getIp)
			.filter(Objects::nonNull)
			.toList();
		return addresses(ips, "status.loadBalancer.ingress", problems);
	}

	private static List<InetAddress> addresses(List<String> texts, String field, List<String> problems) {
		List<InetAddress> addresses = new ArrayList<>();
		for (String text : texts) {
			try {
				addresses.add(IpAddress.parseLiteral(text));
			}
			catch (IllegalArgumentException ex) {
				problems.add(field + ": '" + text + "' is not an IP address, skipped");
			}
		}
		return addresses;
	}

	private static Protocol protocol(ServicePort port, List<String> problems) {
		String text = Objects.requireNonNullElse(port.getProtocol(), "TCP");
		try {
			Protocol protocol = Protocol.parse(text);
			if (protocol == Protocol.TCP || protocol == Protocol.UDP || protocol == Protocol.SCTP) {
				return protocol;
			}
		}
		catch (IllegalArgumentException ex) {
			// reported below
		}
		problems.add("port " + port.getName() + ": protocol '" + text + "' is not TCP, UDP or SCTP, skipped");
		return null;
	}

	static <T> List<T> nonNull(List<T> list) {
		return (list != null) ? list : List.of();
	}

	/** The parts of a service every one of its frontends needs. */
	record Context(ServiceSpec spec, List<EndpointSlice> slices, NodeView node, List<String> problems) {

		boolean affinity() {
			return "ClientIP".equals(this.spec.getSessionAffinity());
		}

		int affinityTimeoutSeconds() {
			if (!affinity()) {
				return 0;
			}
			var config = this.spec.getSessionAffinityConfig();
			Integer timeout = (config != null && config.getClientIP() != null)
					? config.getClientIP().getTimeoutSeconds() : null;
			return (timeout != null && timeout > 0) ? timeout : DEFAULT_AFFINITY_TIMEOUT_SECONDS;
		}

		boolean externalLocal() {
			return "Local".equals(this.spec.getExternalTrafficPolicy());
		}

		boolean internalLocal() {
			return "Local".equals(this.spec.getInternalTrafficPolicy());
		}

		Predicate<BackendCandidate> local() {
			return (candidate) -> this.node.nodeName().equals(candidate.nodeName());
		}

	}

	/** Frontends of one service port. */
	private record PortFrontends(Context context, String portName, Protocol protocol,
			Map<FrontendKey, LbFrontend> out) {

		void add(InetAddress address, int port, FrontendKind kind) {
			L4Address frontend = new L4Address(address, port, this.protocol);
			FrontendKey key = new FrontendKey(frontend, Scope.EXTERNAL);
			if (this.out.containsKey(key)) {
				return; // e.g. an ExternalIP that is also the LoadBalancer IP
			}
			List<BackendCandidate> candidates = SliceBackends.of(this.context.slices(), this.portName, this.protocol,
					address instanceof Inet4Address, this.context.problems());
			Predicate<BackendCandidate> all = (candidate) -> true;
			List<L4Address> internal = BackendCandidate.select(candidates,
					this.context.internalLocal() ? this.context.local() : all);
			int flags = kind.flag() | (this.context.affinity() ? FrontendKind.AFFINITY : 0)
					| (this.context.internalLocal() ? FrontendKind.INT_LOCAL : 0);
			int timeout = this.context.affinityTimeoutSeconds();
			if (!kind.isExternal()) {
				this.out.put(key, new LbFrontend(key, kind, flags, timeout, internal));
				return;
			}
			flags |= this.context.externalLocal() ? FrontendKind.EXT_LOCAL : 0;
			List<L4Address> external = BackendCandidate.select(candidates,
					this.context.externalLocal() ? this.context.local() : all);
			if (external.equals(internal)) {
				this.out.put(key, new LbFrontend(key, kind, flags, timeout, external));
				return;
			}
			this.out.put(key, new LbFrontend(key, kind, flags | FrontendKind.TWO_SCOPES, timeout, external));
			FrontendKey internalKey = new FrontendKey(frontend, Scope.INTERNAL);
			this.out.put(internalKey, new LbFrontend(internalKey, kind, flags, timeout, internal));
		}

	}

}
