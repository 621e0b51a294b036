package io.jcilium.agent.hubble.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import io.jcilium.api.hubble.flow.Endpoint;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.FlowFilter;
import io.jcilium.api.hubble.flow.Workload;
import io.jcilium.common.label.Labels;
import io.jcilium.common.selector.LabelSelector;

/**
 * Filters on the flow's source and destination endpoints: pod (name prefix, optionally
 * with namespace), label selector, security identity and workload.
 */
final class EndpointFilters {

	private EndpointFilters() {
	}

	static void add(String path, FlowFilter filter, List<Predicate<Flow>> parts) {
		side(path, "source", filter.getSourcePodList(), filter.getSourceLabelList(), filter.getSourceIdentityList(),
				Flow::getSource, parts);
		side(path, "destination", filter.getDestinationPodList(), filter.getDestinationLabelList(),
				filter.getDestinationIdentityList(), Flow::getDestination, parts);
		workloads(filter.getSourceWorkloadList(), Flow::getSource, parts);
		workloads(filter.getDestinationWorkloadList(), Flow::getDestination, parts);
	}

	/**
	 * Upstream's workload filter: one of the endpoint's workloads matches one of the
	 * filter's, an empty kind or name matching any.
	 */
	private static void workloads(List<Workload> wanted, Function<Flow, Endpoint> endpoint,
			List<Predicate<Flow>> parts) {
		if (wanted.isEmpty()) {
			return;
		}
		parts.add((flow) -> {
			for (Workload workload : endpoint.apply(flow).getWorkloadsList()) {
				for (Workload filter : wanted) {
					if ((filter.getKind().isEmpty() || filter.getKind().equals(workload.getKind()))
							&& (filter.getName().isEmpty() || filter.getName().equals(workload.getName()))) {
						return true;
					}
				}
			}
			return false;
		});
	}

	private static void side(String path, String side, List<String> pods, List<String> labels, List<Integer> identities,
			Function<Flow, Endpoint> endpoint, List<Predicate<Flow>> parts) {
		if (!pods.isEmpty()) {
			List<Predicate<Endpoint>> any = new ArrayList<>();
			for (String pod : pods) {
				any.add(pod(path + "." + side + "_pod", pod));
			}
			parts.add((flow) -> anyMatch(any, endpoint.apply(flow)));
		}
		if (!labels.isEmpty()) {
			List<LabelSelector> selectors = new ArrayList<>();
			for (String text : labels) {
				selectors.add(SelectorText.parse(path + "." + side + "_label", text));
			}
			ParsedLabels parsed = new ParsedLabels();
			parts.add((flow) -> {
				Labels endpointLabels = parsed.of(endpoint.apply(flow).getLabelsList());
				for (LabelSelector selector : selectors) {
					if (selector.matches(endpointLabels)) {
						return true;
					}
				}
				return false;
			});
		}
		if (!identities.isEmpty()) {
			Set<Integer> wanted = Set.copyOf(identities);
			parts.add((flow) -> wanted.contains(endpoint.apply(flow).getIdentity()));
		}
	}

	/**
	 * {@code namespace/prefix}, {@code namespace/} (every pod of the namespace) or a bare
	 * prefix (any namespace), as upstream.
	 */
	private static Predicate<Endpoint> pod(String field, String text) {
		int slash = text.indexOf('/');
		String namespace = (slash >= 0) ? text.substring(0, slash) : "";
		String prefix = (slash >= 0) ? text.substring(slash + 1) : text;
		if (namespace.isEmpty() && prefix.isEmpty()) {
			throw new InvalidFilterException(field,
					"'" + text + "' names neither a namespace nor a pod; " + "use [namespace/][pod-name-prefix]");
		}
		if (prefix.contains("/")) {
			throw new InvalidFilterException(field,
					"'" + text + "' has more than one '/'; use [namespace/][pod-name-prefix]");
		}
		return (endpoint) -> {
			if (!namespace.isEmpty() && !namespace.equals(endpoint.getNamespace())) {
				return false;
			}
			return prefix.isEmpty() || (!endpoint.getPodName().isEmpty() && endpoint.getPodName().startsWith(prefix));
		};
	}

	private static boolean anyMatch(List<Predicate<Endpoint>> any, Endpoint endpoint) {
		for (Predicate<Endpoint> predicate : any) {
			if (predicate.test(endpoint)) {
				return true;
			}
		}
		return false;
	}

}
