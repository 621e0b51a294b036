package io.jcilium.operator.lbipam;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.jcilium.operator.lbipam.LbService.Family;
import io.jcilium.operator.lbipam.LbService.Port;

/**
 * Reads a Kubernetes Service into an {@link LbService}, with upstream's annotations and
 * their older {@code io.cilium/} aliases.
 */
final class ServiceMapper {

	static final String IPS_ANNOTATION = "lbipam.cilium.io/ips";

	static final String SHARING_KEY_ANNOTATION = "lbipam.cilium.io/sharing-key";

	static final String SHARING_NAMESPACES_ANNOTATION = "lbipam.cilium.io/sharing-cross-namespace";

	// Load balancer classes whose services LB-IPAM serves; a service naming another class
	// belongs to another controller and is left alone, without even a condition.
	private static final Set<String> CILIUM_CLASSES = Set.of("io.cilium/bgp-control-plane", "io.cilium/l2-announcer");

	private ServiceMapper() {
	}

	static boolean isResponsibleFor(Service service) {
		ServiceSpec spec = service.getSpec();
		return spec != null && "LoadBalancer".equals(spec.getType())
				&& (spec.getLoadBalancerClass() == null || CILIUM_CLASSES.contains(spec.getLoadBalancerClass()));
	}

	static LbService toLbService(Service service) {
		ObjectMeta meta = service.getMetadata();
		ServiceSpec spec = service.getSpec();
		Map<String, String> annotations = (meta.getAnnotations() != null) ? meta.getAnnotations() : Map.of();
		List<String> requested = new ArrayList<>();
		if (spec.getLoadBalancerIP() != null && !spec.getLoadBalancerIP().isBlank()) {
			requested.add(spec.getLoadBalancerIP().trim());
		}
		requested.addAll(splitList(annotation(annotations, IPS_ANNOTATION, "io.cilium/lb-ipam-ips")));
		List<Port> ports = new ArrayList<>();
		if (spec.getPorts() != null) {
			for (ServicePort port : spec.getPorts()) {
				String protocol = (port.getProtocol() != null) ? port.getProtocol() : "TCP";
				ports.add(new Port(port.getPort(), protocol));
			}
		}
		List<String> current = new ArrayList<>();
		if (service.getStatus() != null && service.getStatus().getLoadBalancer() != null
				&& service.getStatus().getLoadBalancer().getIngress() != null) {
			for (LoadBalancerIngress ingress : service.getStatus().getLoadBalancer().getIngress()) {
				if (ingress.getIp() != null) {
					current.add(ingress.getIp());
				}
			}
		}
		return new LbService(meta.getNamespace(), meta.getName(), creationOrder(meta),
				(meta.getLabels() != null) ? meta.getLabels() : Map.of(), families(spec),
				"PreferDualStack".equals(spec.getIpFamilyPolicy()), List.copyOf(new LinkedHashSet<>(requested)),
				annotation(annotations, SHARING_KEY_ANNOTATION, "io.cilium/lb-ipam-sharing-key"),
				Set.copyOf(splitList(annotation(annotations, SHARING_NAMESPACES_ANNOTATION,
						"io.cilium/lb-ipam-sharing-cross-namespace"))),
				ports, current);
	}

	// SingleStack (or no policy) asks for one address: IPv4 when both families are
	// listed, as upstream; the dual-stack policies ask for every listed family
	// (PreferDualStack without failing on a family no pool serves: see LbService).
	static Set<Family> families(ServiceSpec spec) {
		Set<Family> listed = EnumSet.noneOf(Family.class);
		if (spec.getIpFamilies() != null) {
			for (String family : spec.getIpFamilies()) {
				listed.add("IPv6".equals(family) ? Family.IPV6 : Family.IPV4);
			}
		}
		if (listed.isEmpty()) {
			listed.add(Family.IPV4);
		}
		String policy = spec.getIpFamilyPolicy();
		boolean dual = "PreferDualStack".equals(policy) || "RequireDualStack".equals(policy);
		if (!dual && listed.size() > 1) {
			return EnumSet.of(Family.IPV4);
		}
		return listed;
	}

	static long creationOrder(ObjectMeta meta) {
		if (meta.getCreationTimestamp() == null) {
			return Long.MAX_VALUE;
		}
		try {
			return Instant.parse(meta.getCreationTimestamp()).toEpochMilli();
		}
		catch (DateTimeParseException ex) {
			return Long.MAX_VALUE;
		}
	}

	private static String annotation(Map<String, String> annotations, String key, String alias) {
		String value = annotations.get(key);
		return (value != null) ? value : annotations.get(alias);
	}

	private static List<String> splitList(String value) {
		if (value == null || value.isBlank()) {
			return List.of();
		}
		return Arrays.stream(value.split(",")).map(String::trim).filter((item) -> !item.isEmpty()).toList();
	}

}
