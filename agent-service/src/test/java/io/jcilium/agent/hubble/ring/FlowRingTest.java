package io.jcilium.agent.hubble.ring;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.google.protobuf.Timestamp;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.LostEventSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class FlowRingTest {

	@Test
	void capacityMustBeAPowerOfTwoMinusOne() {
		for (int good : new int[] { 1, 3, 7, 4095, 65535, (1 << 30) - 1 }) {
			FlowRing.validateCapacity(good);
		}
		for (int bad : new int[] { 0, -1, 2, 4096, 5000, Integer.MAX_VALUE }) {
			assertThatIllegalArgumentException().isThrownBy(() -> FlowRing.validateCapacity(bad))
				.withMessageContaining("power of two minus one")
				.withMessageContaining("got " + bad);
		}
	}

	@Test
	void keepsTheLastCapacityFlowsInOrder() {
		FlowRing ring = new FlowRing(7);
		for (int i = 0; i < 5; i++) {
			ring.write(flow(i));
		}
		assertThat(ring.size()).isEqualTo(5);
		assertThat(readAll(ring.readerAt(ring.oldestPosition()))).containsExactly("0", "1", "2", "3", "4");

		for (int i = 5; i < 20; i++) {
			ring.write(flow(i));
		}
		assertThat(ring.size()).isEqualTo(7);
		assertThat(ring.writePosition()).isEqualTo(20);
		assertThat(readAll(ring.readerAt(ring.oldestPosition()))).containsExactly("13", "14", "15", "16", "17", "18",
				"19");
	}

	@Test
	void aReaderOvertakenByTheWriterIsToldExactlyHowManyItLost() {
		FlowRing ring = new FlowRing(3);
		RingReader reader = ring.readerAt(0);
		ring.write(flow(0));
		assertThat(reader.next().flow().getNodeName()).isEqualTo("0");
		for (int i = 1; i <= 10; i++) {
			ring.write(flow(i));
		}
		// 1..10 written, 8..10 still there: 1..7 are lost.
		RingEvent lost = reader.next();
		assertThat(lost.isFlow()).isFalse();
		assertThat(lost.lost().getSource()).isEqualTo(LostEventSource.HUBBLE_RING_BUFFER);
		assertThat(lost.lost().getNumEventsLost()).isEqualTo(7);
		assertThat(readAll(reader)).containsExactly("8", "9", "10");
	}

	@Test
	void readingBackwardsStopsAtTheOldestEntry() {
		FlowRing ring = new FlowRing(3);
		for (int i = 0; i < 6; i++) {
			ring.write(flow(i));
		}
		RingReader reader = ring.readerAt(ring.writePosition());
		assertThat(reader.previous().flow().getNodeName()).isEqualTo("5");
		assertThat(reader.previous().flow().getNodeName()).isEqualTo("4");
		assertThat(reader.previous().flow().getNodeName()).isEqualTo("3");
		assertThat(reader.previous()).isNull();
		assertThat(reader.position()).isEqualTo(3);
	}

	@Test
	void aWaitingReaderWakesOnTheNextWrite() throws Exception {
		FlowRing ring = new FlowRing(7);
		RingReader reader = ring.readerAt(0);
		AtomicReference<RingEvent> received = new AtomicReference<>();
		CountDownLatch waiting = new CountDownLatch(1);
		Thread thread = new Thread(() -> {
			try {
				waiting.countDown();
				received.set(reader.next(30, TimeUnit.SECONDS));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		thread.start();
		waiting.await();
		ring.write(flow(42));
		thread.join(TimeUnit.SECONDS.toMillis(30));
		assertThat(received.get().flow().getNodeName()).isEqualTo("42");
	}

	@Test
	void concurrentReadersNeverSeeATornOrReorderedSequence() throws Exception {
		FlowRing ring = new FlowRing(63);
		int total = 200_000;
		List<Thread> readers = new ArrayList<>();
		List<AtomicReference<String>> failures = new ArrayList<>();
		for (int r = 0; r < 2; r++) {
			AtomicReference<String> failure = new AtomicReference<>();
			failures.add(failure);
			RingReader reader = ring.readerAt(0);
			Thread thread = new Thread(() -> verifySequence(reader, total, failure));
			readers.add(thread);
			thread.start();
		}
		for (int i = 0; i < total; i++) {
			ring.write(flow(i));
		}
		for (Thread thread : readers) {
			thread.join(TimeUnit.MINUTES.toMillis(2));
		}
		for (AtomicReference<String> failure : failures) {
			assertThat(failure.get()).isNull();
		}
	}

	// Every flow is either read or counted lost, in order: read + lost = written.
	private static void verifySequence(RingReader reader, int total, AtomicReference<String> failure) {
		long expected = 0;
		try {
			while (expected < total) {
				RingEvent event = reader.next(30, TimeUnit.SECONDS);
				if (event == null) {
					failure.set("no event after " + expected);
					return;
				}
				if (!event.isFlow()) {
					expected += event.lost().getNumEventsLost();
					continue;
				}
				long seen = Long.parseLong(event.flow().getNodeName());
				if (seen != expected) {
					failure.set("expected " + expected + " but read " + seen);
					return;
				}
				expected++;
			}
		}
		catch (InterruptedException ex) {
			failure.set("interrupted");
		}
	}

	private static List<String> readAll(RingReader reader) {
		List<String> names = new ArrayList<>();
		for (RingEvent event = reader.next(); event != null; event = reader.next()) {
			names.add(event.flow().getNodeName());
		}
		return names;
	}

	static RingEvent flow(int n) {
		return RingEvent.of(Flow.newBuilder()
			.setNodeName(Integer.toString(n))
			.setTime(Timestamp.newBuilder().setSeconds(n))
			.build());
	}

}
