package io.jcilium.agent.hubble;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import io.jcilium.agent.hubble.history.FlowHistory;
import io.jcilium.agent.hubble.history.HistoryReader;
import io.jcilium.agent.hubble.history.HistorySettings;
import io.jcilium.agent.hubble.metrics.FlowMetrics;
import io.jcilium.agent.hubble.ring.RingEvent;
import io.jcilium.api.hubble.flow.Flow;

/**
 * The durable flow history's cost and capacity: the observer's ingest rate (enrich, ring)
 * with the history writer running against without it, interleaved; then flows offered to
 * the observer at increasing paced rates, each step counting what reached the history and
 * what the ring overwrote before the writer kept it (exactly); then reading the history
 * back as a {@code since} call does. Segments go to a temporary directory under
 * {@code java.io.tmpdir} (set it to the disk the agent's state directory is on), removed
 * at the end.
 */
final class HistoryBench {

	private static final int[] RATES = { 50_000, 100_000, 200_000, 400_000, 800_000 };

	private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

	private HistoryBench() {
	}

	static void run(long millis) throws Exception {
		List<Flow> flows = new ArrayList<>();
		for (int n = 0; n < 4096; n++) {
			flows.add(BenchFlows.decoded(n));
		}
		Path directory = Files.createTempDirectory("jcilium-history-bench");
		try {
			for (int round = 1; round <= 2; round++) {
				double off = unpaced(flows, millis, null);
				double on = unpaced(flows, millis, directory.resolve("unpaced-" + round));
				System.out.printf(
						"history round %d: observer at full speed %,.0f flows/s without history, "
								+ "%,.0f with the writer running (%.1f%%); load %s%n",
						round, off, on, 100 * on / off, HubbleBenchmark.load());
			}
			paced(flows, millis, directory.resolve("paced"));
			readBack(directory.resolve("paced"));
		}
		finally {
			try (Stream<Path> files = Files.walk(directory)) {
				files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
			}
		}
	}

	private static double unpaced(List<Flow> flows, long millis, Path directory) {
		LocalObserver observer = BenchFlows.observer(4095, FlowMetrics.NONE);
		FlowHistory history = (directory != null) ? history(directory, observer) : null;
		if (history != null) {
			history.start();
		}
		try {
			long written = 0;
			long start = System.nanoTime();
			long end = start + TimeUnit.MILLISECONDS.toNanos(millis);
			while ((written & 1023) != 0 || System.nanoTime() < end) {
				observer.flow(flows.get((int) (written & 4095)));
				written++;
			}
			return written * 1e9 / (System.nanoTime() - start);
		}
		finally {
			if (history != null) {
				history.stop();
			}
		}
	}

	private static void paced(List<Flow> flows, long millis, Path directory) throws InterruptedException {
		LocalObserver observer = BenchFlows.observer(4095, FlowMetrics.NONE);
		FlowHistory history = history(directory, observer);
		history.start();
		long noLoss = 0;
		try {
			for (int rate : RATES) {
				long lostBefore = history.lost();
				long positionBefore = observer.ring().writePosition();
				long bytesBefore = history.sizeBytes();
				long start = System.nanoTime();
				long offered = drive(observer, flows, rate, millis);
				double offeredRate = offered * 1e9 / (System.nanoTime() - start);
				long target = observer.ring().writePosition();
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
				while (history.position() < target && System.nanoTime() < deadline) {
					Thread.sleep(5);
				}
				double elapsed = (System.nanoTime() - start) / 1e9;
				long lost = history.lost() - lostBefore;
				long kept = (history.position() - positionBefore) - lost;
				long bytes = history.sizeBytes() - bytesBefore;
				System.out.printf(
						"history at %,d flows/s offered (%,.0f measured): %,d kept, %,d lost "
								+ "(kept+lost = %,d of %,d), %,.0f flows/s kept, %.0f bytes/flow on disk; load %s%n",
						rate, offeredRate, kept, lost, kept + lost, offered, kept / elapsed,
						(kept > 0) ? (double) bytes / kept : 0, HubbleBenchmark.load());
				if (lost == 0 && kept == offered) {
					noLoss = Math.max(noLoss, (long) offeredRate);
				}
			}
		}
		finally {
			history.stop();
		}
		System.out.printf("history: highest offered rate kept without loss %,d flows/s%n", noLoss);
	}

	private static void readBack(Path directory) {
		LocalObserver observer = BenchFlows.observer(4095, FlowMetrics.NONE);
		FlowHistory history = history(directory, observer);
		long count = 0;
		long start = System.nanoTime();
		try (HistoryReader reader = history.read(0)) {
			for (RingEvent event = reader.next(); event != null; event = reader.next()) {
				count++;
			}
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		System.out.printf("history read back (decoded, as a since call reads it): %,d events in %.2f s, "
				+ "%,.0f events/s; load %s%n", count, seconds, count / seconds, HubbleBenchmark.load());
	}

	private static FlowHistory history(Path directory, LocalObserver observer) {
		try {
			Files.createDirectories(directory);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		// No retention during the bench: with 512 MB the paced rounds (about 825 MB at 2
		// s per
		// rate) had their oldest segments removed while they ran, so the size on disk
		// grew
		// by less than was written and bytes/flow read 57 instead of 323 at 800k/s.
		return new FlowHistory(new HistorySettings(directory, Duration.ofHours(1), 64L << 30, 32L << 20),
				observer.ring(), Clock.systemUTC());
	}

	/** Offers flows at a paced rate for the duration; returns how many. */
	private static long drive(LocalObserver observer, List<Flow> flows, int perSecond, long millis) {
		long start = System.nanoTime();
		long end = start + TimeUnit.MILLISECONDS.toNanos(millis);
		long sent = 0;
		long now;
		while ((now = System.nanoTime()) < end) {
			long due = (now - start) * perSecond / 1_000_000_000L - sent;
			if (due > 0) {
				for (long i = 0; i < due; i++) {
					observer.flow(flows.get((int) ((sent + i) & 4095)));
				}
				sent += due;
			}
			else {
				LockSupport.parkNanos(TICK_NANOS);
			}
		}
		return sent;
	}

}
