package io.jcilium.agent.policy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Regenerations wait for every declared policy input, up to a limit. */
class PolicyInputSyncTest {

	@Test
	void regenerationsWaitForEveryDeclaredInputThenProceed() {
		AtomicBoolean policies = new AtomicBoolean();
		AtomicBoolean identities = new AtomicBoolean();
		PolicyInputSync inputs = new PolicyInputSync(Duration.ofHours(1));
		inputs.expect("the policies", policies::get);
		inputs.expect("the identities", identities::get);

		assertThat(inputs.awaited()).hasValueSatisfying(
				(reason) -> assertThat(reason).contains("waiting for the identities and the policies to sync"));
		policies.set(true);
		assertThat(inputs.awaited())
			.hasValueSatisfying((reason) -> assertThat(reason).startsWith("waiting for the identities to sync"));
		identities.set(true);
		assertThat(inputs.awaited()).isEmpty();
		identities.set(false);
		assertThat(inputs.awaited()).as("once synced, stays synced").isEmpty();
	}

	@Test
	void regenerationsStopWaitingAfterTheLimit() {
		PolicyInputSync inputs = new PolicyInputSync(Duration.ZERO);
		inputs.expect("an API server that never answers", () -> false);

		assertThat(inputs.awaited()).isEmpty();
	}

}
