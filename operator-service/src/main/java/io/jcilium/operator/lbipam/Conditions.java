package io.jcilium.operator.lbipam;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.Condition;

/**
 * Status condition bookkeeping as {@code meta.SetStatusCondition} does it: one condition
 * per type, and {@code lastTransitionTime} moves only when the status changes. An
 * unchanged condition is returned as the very same object, so callers can tell "nothing
 * to write" by equality.
 */
final class Conditions {

	private Conditions() {
	}

	static List<Condition> merge(List<Condition> current, LbCondition desired, Long generation, Clock clock) {
		List<Condition> result = new ArrayList<>();
		boolean placed = false;
		for (Condition condition : (current != null) ? current : List.<Condition>of()) {
			if (!desired.type().equals(condition.getType())) {
				result.add(condition);
				continue;
			}
			placed = true;
			if (same(condition.getStatus(), condition.getReason(), condition.getMessage(),
					condition.getObservedGeneration(), desired, generation)) {
				result.add(condition);
			}
			else {
				String since = desired.status().equals(condition.getStatus()) ? condition.getLastTransitionTime()
						: now(clock);
				result.add(new Condition(since, desired.message(), generation, desired.reason(), desired.status(),
						desired.type()));
			}
		}
		if (!placed) {
			result.add(new Condition(now(clock), desired.message(), generation, desired.reason(), desired.status(),
					desired.type()));
		}
		return result;
	}

	static List<Map<String, Object>> mergeRaw(List<Map<String, Object>> current, List<LbCondition> desired,
			Long generation, Clock clock) {
		List<Map<String, Object>> result = new ArrayList<>();
		for (Map<String, Object> condition : current) {
			if (desired.stream().noneMatch((d) -> d.type().equals(condition.get("type")))) {
				result.add(condition);
			}
		}
		for (LbCondition wanted : desired) {
			Map<String, Object> existing = current.stream()
				.filter((c) -> wanted.type().equals(c.get("type")))
				.findFirst()
				.orElse(null);
			if (existing != null && same(text(existing.get("status")), text(existing.get("reason")),
					text(existing.get("message")), number(existing.get("observedGeneration")), wanted, generation)) {
				result.add(existing);
				continue;
			}
			Map<String, Object> condition = new LinkedHashMap<>();
			condition.put("type", wanted.type());
			condition.put("status", wanted.status());
			if (generation != null) {
				condition.put("observedGeneration", generation);
			}
			boolean keepTime = existing != null && wanted.status().equals(existing.get("status"));
			condition.put("lastTransitionTime", keepTime ? existing.get("lastTransitionTime") : now(clock));
			condition.put("reason", wanted.reason());
			condition.put("message", wanted.message());
			result.add(condition);
		}
		return result;
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> asMap(Object value) {
		return (value instanceof Map<?, ?> map) ? (Map<String, Object>) map : Map.of();
	}

	static List<Map<String, Object>> rawList(Object value) {
		List<Map<String, Object>> result = new ArrayList<>();
		if (value instanceof List<?> list) {
			for (Object entry : list) {
				result.add(asMap(entry));
			}
		}
		return result;
	}

	private static boolean same(String status, String reason, String message, Long observedGeneration,
			LbCondition desired, Long generation) {
		return desired.status().equals(status) && desired.reason().equals(reason)
				&& desired.message().equals(Objects.toString(message, ""))
				&& Objects.equals(observedGeneration, generation);
	}

	private static String now(Clock clock) {
		return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
	}

	private static String text(Object value) {
		return (value != null) ? String.valueOf(value) : null;
	}

	private static Long number(Object value) {
		return (value instanceof Number n) ? n.longValue() : null;
	}

}
