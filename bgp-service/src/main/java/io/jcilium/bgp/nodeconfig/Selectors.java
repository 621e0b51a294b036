package io.jcilium.bgp.nodeconfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.jcilium.common.selector.LabelSelector;
import io.jcilium.common.selector.Requirement;

/**
 * Kubernetes label selectors of the BGP resources as the policy core's
 * {@link LabelSelector}.
 */
final class Selectors {

	private Selectors() {
	}

	/**
	 * @param selector the selector; an absent one selects everything, as upstream's node
	 * selectors
	 * @param what the field, for the message of a malformed selector
	 * @throws NodeConfigException naming the field when an expression is malformed
	 */
	static LabelSelector of(io.fabric8.kubernetes.api.model.LabelSelector selector, String what) {
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
			throw new NodeConfigException(what + ": " + ex.getMessage());
		}
	}

}
