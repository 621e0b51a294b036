package io.jcilium.agent.hubble.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.FlowFilter;

/**
 * Compiles a request's whitelist and blacklist into one predicate, as upstream's observer
 * applies them: a flow passes if it matches any whitelist filter (or there is none) and
 * no blacklist filter. Inside one filter every field that is set must match; inside one
 * repeated field any value may. A field this agent cannot evaluate is rejected rather
 * than ignored, so a filter never lets through what its user meant to exclude.
 */
public final class FlowFilters {

	private FlowFilters() {
	}

	/**
	 * @param whitelist flows must match one of these (all pass if empty)
	 * @param blacklist flows must match none of these
	 * @return the predicate
	 * @throws InvalidFilterException naming the first field that cannot be used
	 */
	public static Predicate<Flow> compile(List<FlowFilter> whitelist, List<FlowFilter> blacklist) {
		List<Predicate<Flow>> allowed = compileAll("whitelist", whitelist);
		List<Predicate<Flow>> denied = compileAll("blacklist", blacklist);
		if (allowed.isEmpty() && denied.isEmpty()) {
			return (flow) -> true;
		}
		// Runs for every flow of every stream: plain loops, no streams or lambdas per
		// flow.
		return (flow) -> (allowed.isEmpty() || anyMatch(allowed, flow)) && !anyMatch(denied, flow);
	}

	private static boolean anyMatch(List<Predicate<Flow>> filters, Flow flow) {
		for (int i = 0; i < filters.size(); i++) {
			if (filters.get(i).test(flow)) {
				return true;
			}
		}
		return false;
	}

	private static List<Predicate<Flow>> compileAll(String name, List<FlowFilter> filters) {
		List<Predicate<Flow>> compiled = new ArrayList<>();
		for (int i = 0; i < filters.size(); i++) {
			compiled.add(compile(name + "[" + i + "]", filters.get(i)));
		}
		return compiled;
	}

	static Predicate<Flow> compile(String path, FlowFilter filter) {
		FilterFields.rejectUnsupported(path, filter);
		List<Predicate<Flow>> parts = new ArrayList<>();
		EndpointFilters.add(path, filter, parts);
		NetworkFilters.add(path, filter, parts);
		EventFilters.add(path, filter, parts);
		return (flow) -> {
			for (Predicate<Flow> part : parts) {
				if (!part.test(flow)) {
					return false;
				}
			}
			return true;
		};
	}

}
