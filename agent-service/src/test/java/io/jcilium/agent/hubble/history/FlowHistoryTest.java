package io.jcilium.agent.hubble.history;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import com.google.protobuf.Timestamp;
import io.jcilium.agent.hubble.ring.FlowRing;
import io.jcilium.agent.hubble.ring.RingEvent;
import io.jcilium.agent.hubble.ring.RingReader;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.LostEventSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The history on real files: what a {@code since} reader gets from history and ring
 * together (each flow once, in order), across agent runs, after retention by size and by
 * time, after a crash cut the last record short, and when the ring overtook the writer.
 */
class FlowHistoryTest {

	private static final long BASE_SECONDS = 1_780_000_000L;

	private static final Duration WAIT = Duration.ofSeconds(30);

	@TempDir
	Path directory;

	private final List<FlowHistory> started = new ArrayList<>();

	@AfterEach
	void stop() {
		this.started.forEach(FlowHistory::stop);
	}

	@Test
	void aSinceReaderGetsTheHistoryThenTheRingWithoutGapOrRepeat() {
		FlowRing ring = new FlowRing(7);
		FlowHistory history = start(settings(Duration.ofHours(1), 1 << 20, 1 << 16), ring);
		writePaced(ring, history, 0, 20);

		assertThat(numbers(readAll(history, ring, 0))).isEqualTo(range(0, 20));
		assertThat(numbers(readAll(history, ring, nanos(5)))).isEqualTo(range(5, 20));
		// The ring holds 13..19: the history stops where the ring takes over.
		HistoryReader reader = history.read(0);
		int fromHistory = 0;
		while (reader.next() != null) {
			fromHistory++;
		}
		assertThat(fromHistory).isEqualTo(13);
		assertThat(reader.ringStart()).isEqualTo(13);
	}

	@Test
	void aRestartedAgentServesTheEarlierRunsFlowsThenItsOwn() {
		HistorySettings settings = settings(Duration.ofHours(1), 1 << 20, 1 << 16);
		FlowRing first = new FlowRing(4095);
		FlowHistory before = start(settings, first);
		write(first, 0, 10);
		awaitFlushed(before, 10);
		before.stop();

		FlowRing second = new FlowRing(4095);
		FlowHistory after = start(settings, second);
		write(second, 10, 15);
		awaitFlushed(after, 5);

		assertThat(numbers(readAll(after, second, 0))).isEqualTo(range(0, 15));
		assertThat(numbers(readAll(after, second, nanos(7)))).isEqualTo(range(7, 15));
		assertThat(numbers(readAll(after, second, nanos(12)))).isEqualTo(range(12, 15));
	}

	@Test
	void stoppingClosesTheSegmentAndTheNextRunStartsItsOwn() {
		HistorySettings settings = settings(Duration.ofHours(1), 1 << 20, 1 << 16);
		FlowRing first = new FlowRing(4095);
		FlowHistory before = start(settings, first);
		write(first, 0, 3);
		awaitFlushed(before, 3);
		before.stop();
		assertThat(before.isRunning()).isFalse();

		FlowRing second = new FlowRing(4095);
		FlowHistory after = start(settings, second);
		write(second, 3, 4);
		awaitFlushed(after, 1);
		assertThat(Segment.list(this.directory)).as("one segment per run").hasSize(2);
		assertThat(Segment.list(this.directory).get(0).boot()).isLessThan(Segment.list(this.directory).get(1).boot());
	}

	@Test
	void retentionBySizeRemovesTheOldestSegmentsAndWhatRemainsIsContiguous() {
		int segmentSize = 4096;
		int maxSize = 4 * segmentSize;
		// A ring smaller than what is written, so the oldest flows are in the history
		// only.
		FlowRing ring = new FlowRing(63);
		FlowHistory history = start(settings(Duration.ofHours(1), maxSize, segmentSize), ring);
		writePaced(ring, history, 0, 2000);

		List<Integer> kept = numbers(readAll(history, ring, 0));
		assertThat(kept).isNotEmpty();
		assertThat(kept.get(0)).as("the oldest flows are gone").isGreaterThan(0);
		assertThat(kept).isEqualTo(range(kept.get(0), 2000));
		// Retention runs when a segment is closed: at most the limit, plus the segment
		// being written.
		assertThat(history.sizeBytes()).isLessThanOrEqualTo(maxSize + segmentSize + 200);
	}

	@Test
	void retentionByTimeRemovesSegmentsLastWrittenBeforeIt() throws IOException {
		HistorySettings settings = settings(Duration.ofHours(24), 1 << 20, 1 << 16);
		FlowRing first = new FlowRing(4095);
		FlowHistory before = start(settings, first);
		write(first, 0, 10);
		awaitFlushed(before, 10);
		before.stop();
		List<Segment> old = Segment.list(this.directory);
		assertThat(old).hasSize(1);
		Files.setLastModifiedTime(old.get(0).path(), FileTime.from(Instant.now().minus(Duration.ofHours(25))));

		FlowRing second = new FlowRing(4095);
		FlowHistory after = start(settings, second);
		write(second, 10, 12);
		awaitFlushed(after, 2);
		await(() -> !Files.exists(old.get(0).path()), "the segment past retention is removed");

		assertThat(numbers(readAll(after, second, 0))).isEqualTo(range(10, 12));
	}

	@Test
	void aRecordCutShortByACrashEndsItsSegmentAndTheNextRunCarriesOn() throws IOException {
		HistorySettings settings = settings(Duration.ofHours(1), 1 << 20, 1 << 16);
		FlowRing first = new FlowRing(4095);
		FlowHistory before = start(settings, first);
		write(first, 0, 10);
		awaitFlushed(before, 10);
		before.stop();
		Path segment = Segment.list(this.directory).get(0).path();
		try (FileChannel file = FileChannel.open(segment, StandardOpenOption.WRITE)) {
			file.truncate(file.size() - 3);
		}

		FlowRing second = new FlowRing(4095);
		FlowHistory after = start(settings, second);
		write(second, 10, 12);
		awaitFlushed(after, 2);

		assertThat(numbers(readAll(after, second, 0))).isEqualTo(concat(range(0, 9), range(10, 12)));
	}

	@Test
	void whatTheRingOverwroteBeforeTheWriterCouldKeepItIsRecordedWithItsExactCount() {
		FlowRing ring = new FlowRing(7);
		FlowHistory history = new FlowHistory(settings(Duration.ofHours(1), 1 << 20, 1 << 16), ring, Clock.systemUTC());
		// Written before the writer runs: the ring keeps the last 7 of 20.
		write(ring, 0, 20);
		history.start();
		this.started.add(history);
		awaitFlushed(history, 20);

		assertThat(history.lost()).isEqualTo(13);
		List<RingEvent> events = readAll(history, ring, 0);
		assertThat(events.get(0).isFlow()).isFalse();
		assertThat(events.get(0).lost().getSource()).isEqualTo(LostEventSource.HUBBLE_RING_BUFFER);
		assertThat(events.get(0).lost().getNumEventsLost()).isEqualTo(13);
		assertThat(numbers(events.subList(1, events.size()))).isEqualTo(range(13, 20));
	}

	private HistorySettings settings(Duration retention, long maxSize, long segmentSize) {
		return new HistorySettings(this.directory, retention, maxSize, segmentSize);
	}

	private FlowHistory start(HistorySettings settings, FlowRing ring) {
		FlowHistory history = new FlowHistory(settings, ring, Clock.systemUTC());
		history.start();
		this.started.add(history);
		return history;
	}

	/** Flows numbered from..to-1, each stamped BASE + its number seconds. */
	private static void write(FlowRing ring, int from, int to) {
		for (int n = from; n < to; n++) {
			ring.write(RingEvent.of(Flow.newBuilder()
				.setTime(Timestamp.newBuilder().setSeconds(BASE_SECONDS + n))
				.setUuid("flow-" + n)
				.build()));
		}
	}

	/**
	 * Writes a ring's capacity at a time, each time waiting for the history to keep it.
	 */
	private static void writePaced(FlowRing ring, FlowHistory history, int from, int to) {
		for (int n = from; n < to; n += ring.capacity()) {
			int end = Math.min(to, n + ring.capacity());
			write(ring, n, end);
			awaitFlushed(history, end - from);
		}
	}

	private static long nanos(int n) {
		return (BASE_SECONDS + n) * 1_000_000_000L;
	}

	/** What a GetFlows call with since reads: the history, then the ring. */
	private static List<RingEvent> readAll(FlowHistory history, FlowRing ring, long sinceNanos) {
		List<RingEvent> events = new ArrayList<>();
		try (HistoryReader reader = history.read(sinceNanos)) {
			for (RingEvent event = reader.next(); event != null; event = reader.next()) {
				events.add(event);
			}
			RingReader rest = ring.readerAt(reader.ringStart());
			for (RingEvent event = rest.next(); event != null; event = rest.next()) {
				if (!event.isFlow() || event.flow().getTime().getSeconds() * 1_000_000_000L >= sinceNanos) {
					events.add(event);
				}
			}
		}
		return events;
	}

	private static List<Integer> numbers(List<RingEvent> events) {
		List<Integer> numbers = new ArrayList<>();
		for (RingEvent event : events) {
			if (!event.isFlow()) {
				fail("unexpected lost events " + event.lost());
			}
			numbers.add(Integer.parseInt(event.flow().getUuid().substring("flow-".length())));
		}
		return numbers;
	}

	private static List<Integer> range(int from, int to) {
		List<Integer> numbers = new ArrayList<>();
		for (int n = from; n < to; n++) {
			numbers.add(n);
		}
		return numbers;
	}

	private static List<Integer> concat(List<Integer> first, List<Integer> second) {
		List<Integer> all = new ArrayList<>(first);
		all.addAll(second);
		return all;
	}

	private static void awaitFlushed(FlowHistory history, long position) {
		await(() -> history.position() >= position, "the history reaches ring position " + position);
	}

	private static void await(BooleanSupplier condition, String what) {
		long deadline = System.nanoTime() + WAIT.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				fail("not within " + WAIT + ": " + what);
			}
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				fail("interrupted");
			}
		}
	}

}
