package io.jcilium.relay.observer;

import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.Timestamp;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.observer.GetFlowsResponse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The sort buffer: time order within what it holds, the oldest out when full.
 */
class SortBufferTest {

	@Test
	void aFullBufferLetsTheOldestOutAndDrainsTheRestInOrder() {
		SortBuffer buffer = new SortBuffer(3);
		List<Long> out = new ArrayList<>();
		for (long millis : new long[] { 50, 10, 40, 20, 30, 60 }) {
			GetFlowsResponse popped = buffer.push(response(millis));
			if (popped != null) {
				out.add(SortBuffer.nanos(popped) / 1_000_000);
			}
		}
		assertThat(out).containsExactly(10L, 20L, 30L);
		assertThat(buffer.drain()).extracting((response) -> SortBuffer.nanos(response) / 1_000_000)
			.containsExactly(40L, 50L, 60L);
		assertThat(buffer.size()).isZero();
	}

	@Test
	void aResponseWithoutItsOwnTimeSortsByItsFlowsTime() {
		GetFlowsResponse flowOnly = GetFlowsResponse.newBuilder()
			.setFlow(Flow.newBuilder().setTime(Timestamp.newBuilder().setSeconds(7).setNanos(5)))
			.build();
		assertThat(SortBuffer.nanos(flowOnly)).isEqualTo(7_000_000_005L);
	}

	@Test
	void aBufferHoldsAtLeastOneResponse() {
		assertThatIllegalArgumentException().isThrownBy(() -> new SortBuffer(0)).withMessageContaining("at least one");
	}

	static GetFlowsResponse response(long millis) {
		Timestamp time = Timestamp.newBuilder()
			.setSeconds(millis / 1000)
			.setNanos((int) (millis % 1000) * 1_000_000)
			.build();
		return GetFlowsResponse.newBuilder().setFlow(Flow.newBuilder().setTime(time)).setTime(time).build();
	}

}
