package io.jcilium.agent.l2announce;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.jcilium.api.crd.v2alpha1.CiliumL2AnnouncementPolicy;
import io.jcilium.common.label.Labels;
import io.jcilium.common.net.IpAddress;
import io.jcilium.common.selector.LabelSelector;
import io.jcilium.common.selector.Requirement;

/**
 * Which services this node competes to announce, by upstream's rules
 * ({@code pkg/l2announcer}): a policy applies when its {@code nodeSelector} matches this
 * node (absent: every node); it selects the services its {@code serviceSelector} matches
 * (absent: every service), the service's labels extended with
 * {@code io.kubernetes.service.namespace} and {@code io.kubernetes.service.name}; a
 * service with a {@code loadBalancerClass} other than {@code io.cilium/l2-announcer} is
 * left to its own implementation. {@code loadBalancerIPs} announces the addresses in the
 * service's status, {@code externalIPs} its {@code spec.externalIPs}. The devices are
 * those one of {@code interfaces}' regular expressions matches anywhere in the name (Go's
 * {@code MatchString}), every candidate device when the list is empty. Policies selecting
 * the same service add up. A policy with a malformed selector or expression is skipped
 * and reported; the others still apply.
 */
public final class L2AnnouncementPlanner {

	/** The class upstream's L2 announcer serves besides services without one. */
	public static final String LOAD_BALANCER_CLASS = "io.cilium/l2-announcer";

	static final String SERVICE_NAMESPACE_LABEL = "io.kubernetes.service.namespace";

	static final String SERVICE_NAME_LABEL = "io.kubernetes.service.name";

	private L2AnnouncementPlanner() {
	}

	/**
	 * @param inputs the policies, services, this node's labels and devices
	 * @return the services to compete for, with their addresses and devices
	 */
	public static L2Plan plan(L2Inputs inputs) {
		Map<AnnouncedService, Set<InetAddress>> addresses = new HashMap<>();
		Map<AnnouncedService, Set<String>> devices = new HashMap<>();
		List<String> errors = new ArrayList<>();
		Labels node = Labels.fromMap(inputs.nodeLabels(), "k8s");
		for (CiliumL2AnnouncementPolicy policy : inputs.policies()) {
			CiliumL2AnnouncementPolicy.Spec spec = policy.getSpec();
			String name = policy.getMetadata().getName();
			if (spec == null) {
				continue;
			}
			try {
				if (!selector(spec.nodeSelector, "nodeSelector").matches(node)) {
					continue;
				}
				LabelSelector services = selector(spec.serviceSelector, "serviceSelector");
				List<String> selectedDevices = devices(spec.interfaces, inputs.devices());
				for (Service service : inputs.services()) {
					if (!announcedHere(service) || !services.matches(labels(service))) {
						continue;
					}
					Set<InetAddress> selected = addresses(spec, service);
					if (selected.isEmpty() || selectedDevices.isEmpty()) {
						continue;
					}
					AnnouncedService key = new AnnouncedService(service.getMetadata().getNamespace(),
							service.getMetadata().getName());
					addresses.computeIfAbsent(key, (k) -> new LinkedHashSet<>()).addAll(selected);
					devices.computeIfAbsent(key, (k) -> new TreeSet<>()).addAll(selectedDevices);
				}
			}
			catch (IllegalArgumentException ex) {
				errors.add("CiliumL2AnnouncementPolicy " + name + ": " + ex.getMessage());
			}
		}
		SortedMap<AnnouncedService, L2Plan.Announcement> plan = new TreeMap<>();
		addresses.forEach((service, selected) -> plan.put(service,
				new L2Plan.Announcement(Set.copyOf(selected), Set.copyOf(devices.get(service)))));
		return new L2Plan(plan, errors);
	}

	private static boolean announcedHere(Service service) {
		String loadBalancerClass = (service.getSpec() != null) ? service.getSpec().getLoadBalancerClass() : null;
		return loadBalancerClass == null || LOAD_BALANCER_CLASS.equals(loadBalancerClass);
	}

	private static Labels labels(Service service) {
		Map<String, String> labels = new HashMap<>(
				Objects.requireNonNullElse(service.getMetadata().getLabels(), Map.of()));
		labels.put(SERVICE_NAMESPACE_LABEL, service.getMetadata().getNamespace());
		labels.put(SERVICE_NAME_LABEL, service.getMetadata().getName());
		return Labels.fromMap(labels, "k8s");
	}

	private static Set<InetAddress> addresses(CiliumL2AnnouncementPolicy.Spec spec, Service service) {
		Set<InetAddress> selected = new LinkedHashSet<>();
		if (Boolean.TRUE.equals(spec.loadBalancerIPs) && service.getStatus() != null
				&& service.getStatus().getLoadBalancer() != null) {
			for (LoadBalancerIngress ingress : Objects.requireNonNullElse(
					service.getStatus().getLoadBalancer().getIngress(), List.<LoadBalancerIngress>of())) {
				addLiteral(selected, ingress.getIp());
			}
		}
		if (Boolean.TRUE.equals(spec.externalIPs) && service.getSpec() != null) {
			for (String external : Objects.requireNonNullElse(service.getSpec().getExternalIPs(), List.<String>of())) {
				addLiteral(selected, external);
			}
		}
		return selected;
	}

	/** A Service's malformed address is the Service's problem, not the policy's. */
	private static void addLiteral(Set<InetAddress> selected, String text) {
		if (text == null || text.isBlank()) {
			return;
		}
		try {
			selected.add(IpAddress.parseLiteral(text));
		}
		catch (IllegalArgumentException ex) {
			// skipped: the service translation refuses it too
		}
	}

	private static List<String> devices(List<String> expressions, List<String> candidates) {
		if (expressions == null || expressions.isEmpty()) {
			return candidates;
		}
		List<Pattern> patterns = new ArrayList<>();
		for (String expression : expressions) {
			try {
				patterns.add(Pattern.compile(expression));
			}
			catch (PatternSyntaxException ex) {
				throw new IllegalArgumentException(
						"interfaces: '" + expression + "' is no regular expression (" + ex.getDescription() + ")");
			}
		}
		return candidates.stream()
			.filter((device) -> patterns.stream().anyMatch((pattern) -> pattern.matcher(device).find()))
			.toList();
	}

	private static LabelSelector selector(io.fabric8.kubernetes.api.model.LabelSelector selector, String field) {
		if (selector == null) {
			return LabelSelector.all();
		}
		List<Requirement> expressions = new ArrayList<>();
		try {
			for (LabelSelectorRequirement expression : Objects.requireNonNullElse(selector.getMatchExpressions(),
					List.<LabelSelectorRequirement>of())) {
				expressions.add(Requirement.of(expression.getKey(), expression.getOperator(),
						Objects.requireNonNullElse(expression.getValues(), List.of())));
			}
			return LabelSelector.of(Objects.requireNonNullElse(selector.getMatchLabels(), Map.of()), expressions);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(field + ": " + ex.getMessage(), ex);
		}
	}

}
