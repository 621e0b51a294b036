package io.jcilium.agent.hubble;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class HubblePropertiesTest {

	@Test
	void theRingCapacityMustBeAPowerOfTwoMinusOneAndTheErrorSaysWhichSetting() {
		assertThat(new HubbleProperties(true, 4095, 64, "", HubbleProperties.History.off()).ringCapacity())
			.isEqualTo(4095);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new HubbleProperties(true, 4096, 64, "", HubbleProperties.History.off()))
			.withMessageStartingWith("jcilium.agent.hubble.ring-capacity: ")
			.withMessageContaining("power of two minus one")
			.withMessageContaining("got 4096");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new HubbleProperties(true, 4095, 0, "", HubbleProperties.History.off()))
			.withMessageContaining("jcilium.agent.hubble.max-flow-streams");
	}

	@Test
	void aHistoryThatCannotWorkIsRefusedNamingTheSetting() {
		Path directory = Path.of("flows");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new HubbleProperties.History(true, directory, Duration.ofHours(1),
					DataSize.ofMegabytes(8), DataSize.ofMegabytes(8)))
			.withMessageContaining("jcilium.agent.hubble.history.max-size")
			.withMessageContaining("twice the segment-size");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new HubbleProperties.History(true, directory, Duration.ZERO, DataSize.ofMegabytes(64),
					DataSize.ofMegabytes(8)))
			.withMessageContaining("jcilium.agent.hubble.history.retention");
		// Off, nothing of it is used, so nothing is checked.
		assertThat(new HubbleProperties.History(false, directory, Duration.ZERO, DataSize.ofMegabytes(8),
				DataSize.ofMegabytes(8))
			.enabled()).isFalse();
	}

}
