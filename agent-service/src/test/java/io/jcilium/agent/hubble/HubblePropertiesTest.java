package io.jcilium.agent.hubble;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class HubblePropertiesTest {

	@Test
	void theRingCapacityMustBeAPowerOfTwoMinusOneAndTheErrorSaysWhichSetting() {
		assertThat(new HubbleProperties(true, 4095, 64, "").ringCapacity()).isEqualTo(4095);
		assertThatIllegalArgumentException().isThrownBy(() -> new HubbleProperties(true, 4096, 64, ""))
			.withMessageStartingWith("jcilium.agent.hubble.ring-capacity: ")
			.withMessageContaining("power of two minus one")
			.withMessageContaining("got 4096");
		assertThatIllegalArgumentException().isThrownBy(() -> new HubbleProperties(true, 4095, 0, ""))
			.withMessageContaining("jcilium.agent.hubble.max-flow-streams");
	}

}
