package io.jcilium.relay.observer;

import java.util.List;

import io.jcilium.api.hubble.flow.LostEvent;
import io.jcilium.api.hubble.observer.GetFlowsResponse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code number} counts flows over the whole cluster; lost events stay where they fall.
 */
class NumberLimitTest {

	private static final WireResponse LOST = WireResponse
		.of(GetFlowsResponse.newBuilder().setLostEvents(LostEvent.newBuilder().setNumEventsLost(3)).build());

	private final List<WireResponse> sorted = List.of(NodeMergeTest.response(1), LOST, NodeMergeTest.response(2),
			NodeMergeTest.response(3), NodeMergeTest.response(4));

	@Test
	void lastKeepsTheLatestFlows() {
		assertThat(NumberLimit.select(this.sorted, 2, false)).containsExactly(this.sorted.get(3), this.sorted.get(4));
		assertThat(NumberLimit.select(this.sorted, 3, false)).containsExactlyElementsOf(this.sorted.subList(2, 5));
	}

	@Test
	void firstKeepsTheEarliestFlowsWithTheLossesBetweenThem() {
		assertThat(NumberLimit.select(this.sorted, 2, true)).containsExactlyElementsOf(this.sorted.subList(0, 3));
	}

	@Test
	void aNumberBeyondWhatExistsReturnsWhatExists() {
		assertThat(NumberLimit.select(this.sorted, 100, false)).isEqualTo(this.sorted);
		assertThat(NumberLimit.select(this.sorted, 100, true)).isEqualTo(this.sorted);
	}

}
