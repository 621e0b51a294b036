package io.jcilium.relay.observer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.LostEvent;
import io.jcilium.api.hubble.observer.GetFlowsResponse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The k-way merge of the nodes' streams: exact time order however unevenly the nodes
 * send, a silent node holding the others back only for the drain timeout, and the bytes
 * read for their time only.
 */
class NodeMergeTest {

	private static final Duration DRAIN = Duration.ofSeconds(1);

	private static final long SECOND = 1_000_000_000L;

	private final List<String> taken = new ArrayList<>();

	private final NodeMerge merge = new NodeMerge(DRAIN, this.taken::add);

	@Test
	void unevenNodesComeOutInExactTimeOrder() {
		this.merge.open("a", 0);
		this.merge.open("b", 0);
		// Node a sent 1000 responses before b's first arrived: b's are older than most.
		for (int i = 0; i < 1000; i++) {
			this.merge.add("a", response(10 * i + 5), 0);
		}
		assertThat(this.merge.next(0)).as("b may still send an older one").isNull();
		for (int i = 0; i < 1000; i++) {
			this.merge.add("b", response(10 * i), 0);
		}
		this.merge.close("b");
		this.merge.close("a");

		List<Long> out = new ArrayList<>();
		for (WireResponse next = this.merge.next(0); next != null; next = this.merge.next(0)) {
			out.add(next.nanos());
		}

		assertThat(out).hasSize(2000).isSorted();
		assertThat(this.taken).hasSize(2000);
		assertThat(this.taken.subList(0, 2)).containsExactly("b", "a");
	}

	@Test
	void aNodeWithAnEmptyBufferHoldsTheMergeUntilItSends() {
		this.merge.open("a", 0);
		this.merge.open("b", 0);
		this.merge.add("a", response(20), 0);
		this.merge.add("b", response(10), 0);

		assertThat(this.merge.next(0).nanos()).isEqualTo(millis(10));
		assertThat(this.merge.next(0)).as("b is open and empty again").isNull();
		assertThat(this.merge.waitNanos(0)).isEqualTo(DRAIN.toNanos());
		this.merge.add("b", response(15), 0);
		assertThat(this.merge.next(0).nanos()).isEqualTo(millis(15));
	}

	@Test
	void aNodeSilentForTheDrainTimeoutIsIdleAndHoldsNothingBack() {
		this.merge.open("busy", 0);
		this.merge.open("quiet", 0);
		this.merge.add("busy", response(1), SECOND / 2);

		assertThat(this.merge.next(SECOND / 2)).isNull();
		assertThat(this.merge.waitNanos(SECOND / 2)).isEqualTo(SECOND / 2);
		assertThat(this.merge.next(SECOND).nanos()).isEqualTo(millis(1));

		// Sending again, it holds the merge again.
		this.merge.add("quiet", response(2), 2 * SECOND);
		this.merge.add("busy", response(3), 2 * SECOND);
		assertThat(this.merge.next(2 * SECOND).nanos()).isEqualTo(millis(2));
		assertThat(this.merge.next(2 * SECOND)).isNull();
	}

	@Test
	void anExactMergeWaitsForASilentNodeHoweverLong() {
		NodeMerge exact = NodeMerge.exact(this.taken::add);
		exact.open("slow", 0);
		exact.open("fast", 0);
		exact.add("fast", response(2), 0);

		assertThat(exact.next(3600 * SECOND)).isNull();
		exact.add("slow", response(1), 3600 * SECOND);
		assertThat(exact.next(3600 * SECOND).nanos()).isEqualTo(millis(1));
		exact.close("slow");
		assertThat(exact.next(3600 * SECOND).nanos()).isEqualTo(millis(2));
	}

	@Test
	void aClosedNodeHoldsNothingBackAndItsBufferStillComesOut() {
		this.merge.open("a", 0);
		this.merge.open("b", 0);
		this.merge.add("b", response(1), 0);
		this.merge.add("b", response(2), 0);
		this.merge.close("b");
		this.merge.add("a", response(3), 0);
		this.merge.close("a");

		assertThat(this.merge.drain()).extracting(WireResponse::nanos).containsExactly(millis(1), millis(2), millis(3));
		assertThat(this.merge.size()).isZero();
	}

	@Test
	void aResponseIsReadForItsTimeAndKindAndKeepsItsBytes() throws InvalidProtocolBufferException {
		GetFlowsResponse flow = GetFlowsResponse.newBuilder()
			.setFlow(Flow.newBuilder().setTime(time(7_000)).setNodeName("node-a"))
			.setNodeName("node-a")
			.setTime(time(7_005))
			.build();
		WireResponse wire = WireResponse.scan(flow.toByteArray());
		assertThat(wire.nanos()).as("the response's own time").isEqualTo(millis(7_005));
		assertThat(wire.flow()).isTrue();
		assertThat(GetFlowsResponse.parseFrom(wire.bytes())).isEqualTo(flow);

		GetFlowsResponse flowTimeOnly = GetFlowsResponse.newBuilder()
			.setFlow(Flow.newBuilder().setNodeName("node-a").setTime(time(7_000)))
			.build();
		assertThat(WireResponse.scan(flowTimeOnly.toByteArray()).nanos()).isEqualTo(millis(7_000));

		WireResponse lost = WireResponse
			.of(GetFlowsResponse.newBuilder().setLostEvents(LostEvent.newBuilder()).setTime(time(3)).build());
		assertThat(lost.flow()).isFalse();
		assertThat(lost.nanos()).isEqualTo(millis(3));
	}

	@Test
	void bytesThatAreNotAResponseAreRefused() {
		assertThatExceptionOfType(InvalidProtocolBufferException.class)
			.isThrownBy(() -> WireResponse.scan(new byte[] { 0x0A, 0x7F, 0x01 }));
	}

	static WireResponse response(long millis) {
		return WireResponse.of(GetFlowsResponse.newBuilder()
			.setFlow(Flow.newBuilder().setTime(time(millis)))
			.setTime(time(millis))
			.build());
	}

	private static long millis(long millis) {
		return millis * 1_000_000;
	}

	private static Timestamp time(long millis) {
		return Timestamp.newBuilder().setSeconds(millis / 1000).setNanos((int) (millis % 1000) * 1_000_000).build();
	}

}
