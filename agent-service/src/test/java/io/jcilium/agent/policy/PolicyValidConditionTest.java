package io.jcilium.agent.policy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyValidConditionTest {

	private static final Instant T1 = Instant.parse("2026-01-01T10:00:00Z");

	private static final Instant T2 = Instant.parse("2026-01-01T11:00:00Z");

	@Test
	void invalidThenStillInvalidKeepsTheTransitionTimeAndValidFlipsIt() {
		List<Map<String, Object>> invalid = PolicyValidCondition.update(null, "bad port", T1);
		assertThat(invalid).singleElement()
			.isEqualTo(Map.of("type", "Valid", "status", "False", "lastTransitionTime", "2026-01-01T10:00:00Z",
					"message", "bad port"));
		assertThat(PolicyValidCondition.update(invalid, "bad port", T2)).as("unchanged: no write").isNull();
		List<Map<String, Object>> otherError = PolicyValidCondition.update(invalid, "bad selector", T2);
		assertThat(otherError.get(0)).containsEntry("lastTransitionTime", "2026-01-01T10:00:00Z")
			.containsEntry("message", "bad selector");
		List<Map<String, Object>> valid = PolicyValidCondition.update(otherError, null, T2);
		assertThat(valid.get(0)).containsEntry("status", "True")
			.containsEntry("message", "Policy validation succeeded")
			.containsEntry("lastTransitionTime", "2026-01-01T11:00:00Z");
	}

	@Test
	void otherConditionsAreKept() {
		Map<String, Object> other = Map.of("type", "Synced", "status", "True");
		assertThat(PolicyValidCondition.update(List.of(other), null, T1)).hasSize(2).first().isEqualTo(other);
	}

}
