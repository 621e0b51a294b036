package io.jcilium.agent.policy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code Valid} condition upstream keeps in a CiliumNetworkPolicy's and a
 * CiliumClusterwideNetworkPolicy's {@code status.conditions}: status {@code True} with
 * message {@code Policy validation succeeded}, or {@code False} with the validation error
 * as message. {@code lastTransitionTime} moves only when the status flips, and an
 * unchanged condition is not written again (so status writes do not loop through the
 * watch).
 */
final class PolicyValidCondition {

	/** Upstream's {@code PolicyConditionValid}. */
	static final String TYPE = "Valid";

	/** Upstream's message for a valid policy. */
	static final String VALID_MESSAGE = "Policy validation succeeded";

	private PolicyValidCondition() {
	}

	/**
	 * The conditions with the {@code Valid} condition set.
	 * @param existing the object's conditions as read ({@code null} if none); other
	 * condition types are kept as they are
	 * @param error what is wrong with the policy, or {@code null} if it is valid
	 * @param now the time to record if the status changes
	 * @return the new conditions, or {@code null} if nothing would change
	 */
	static List<Map<String, Object>> update(List<Map<String, Object>> existing, String error, Instant now) {
		String wantStatus = (error == null) ? "True" : "False";
		String message = (error == null) ? VALID_MESSAGE : error;
		List<Map<String, Object>> conditions = new ArrayList<>((existing != null) ? existing : List.of());
		int found = -1;
		for (int i = 0; i < conditions.size(); i++) {
			if (TYPE.equals(conditions.get(i).get("type"))) {
				found = i;
				break;
			}
		}
		Object transition = now.truncatedTo(ChronoUnit.SECONDS).toString();
		if (found >= 0) {
			Map<String, Object> current = conditions.get(found);
			if (wantStatus.equals(current.get("status")) && message.equals(current.get("message"))) {
				return null;
			}
			if (wantStatus.equals(current.get("status")) && current.get("lastTransitionTime") != null) {
				transition = current.get("lastTransitionTime");
			}
		}
		Map<String, Object> condition = new LinkedHashMap<>();
		condition.put("type", TYPE);
		condition.put("status", wantStatus);
		condition.put("lastTransitionTime", transition);
		condition.put("message", message);
		if (found >= 0) {
			conditions.set(found, condition);
		}
		else {
			conditions.add(condition);
		}
		return conditions;
	}

}
