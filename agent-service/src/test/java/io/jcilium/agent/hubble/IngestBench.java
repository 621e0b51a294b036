package io.jcilium.agent.hubble;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.jcilium.agent.datapath.DatapathObjects;
import io.jcilium.agent.datapath.Packets;
import io.jcilium.agent.datapath.TestLibbpf;
import io.jcilium.agent.datapath.events.EventReader;
import io.jcilium.agent.datapath.events.FlowForwarder;
import io.jcilium.agent.datapath.libbpf.MonotonicClock;
import io.jcilium.agent.datapath.loader.EndpointProgram;
import io.jcilium.agent.datapath.loader.EndpointProgramLoader;
import io.jcilium.agent.datapath.maps.DatapathStructs;
import io.jcilium.agent.hubble.metrics.FlowMetrics;
import io.jcilium.agent.hubble.ring.FlowRing;
import io.jcilium.agent.hubble.ring.RingEvent;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.LostEventSource;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * Events one agent turns into stored flows. First the observer alone (enrich, ring,
 * metrics on and off, interleaved) against the raw ring write rate; then the whole path,
 * bpf_lxc's events through the kernel ring buffer, the reader, decoder, enricher, metrics
 * and ring, offered at increasing rates with every event either stored or counted lost.
 */
final class IngestBench {

	private static final int[] RATES = { 25_000, 50_000, 100_000, 200_000, 400_000, 800_000 };

	private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

	private IngestBench() {
	}

	static void run(long millis) throws Exception {
		List<Flow> flows = new java.util.ArrayList<>();
		for (int n = 0; n < 4096; n++) {
			flows.add(BenchFlows.decoded(n));
		}
		for (int round = 1; round <= 2; round++) {
			double ring = ringWrites(flows.get(0), millis);
			double bare = observed(BenchFlows.observer(4095, FlowMetrics.NONE), flows, millis);
			double metered = observed(BenchFlows.observer(4095, metrics()), flows, millis);
			System.out.printf(
					"observer round %d: raw ring writes %,.0f/s; enrich+ring %,.0f flows/s (ratio %.3f); "
							+ "with the five metrics %,.0f flows/s (ratio %.3f, %.1f%% of without); load %s%n",
					round, ring, bare, bare / ring, metered, metered / ring, 100 * metered / bare,
					HubbleBenchmark.load());
		}
		datapath(millis);
	}

	private static FlowMetrics metrics() {
		return FlowMetrics.create(List.of("flow", "drop", "policy", "tcp", "port-distribution"), 2000,
				new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
	}

	private static double ringWrites(Flow flow, long millis) {
		FlowRing ring = new FlowRing(4095);
		RingEvent event = RingEvent.of(flow);
		long written = 0;
		long start = System.nanoTime();
		long end = start + TimeUnit.MILLISECONDS.toNanos(millis);
		while ((written & 1023) != 0 || System.nanoTime() < end) {
			ring.write(event);
			written++;
		}
		return written * 1e9 / (System.nanoTime() - start);
	}

	private static double observed(LocalObserver observer, List<Flow> flows, long millis) {
		long written = 0;
		long start = System.nanoTime();
		long end = start + TimeUnit.MILLISECONDS.toNanos(millis);
		while ((written & 1023) != 0 || System.nanoTime() < end) {
			observer.flow(flows.get((int) (written & 4095)));
			written++;
		}
		return written * 1e9 / (System.nanoTime() - start);
	}

	private static void datapath(long millis) throws Exception {
		EndpointProgramLoader loader = new EndpointProgramLoader(TestLibbpf.get(),
				DatapathObjects.resolve(DatapathObjects.LXC), null);
		try (EndpointProgram program = loader
			.load(new DatapathStructs.LxcConfig(1, BenchFlows.SERVER_IDENTITY, 1, 0))) {
			LocalObserver observer = BenchFlows.observer(4095, metrics());
			FlowForwarder forwarder = new FlowForwarder(() -> List.of(observer), MonotonicClock::nowNanos);
			try (EventReader reader = new EventReader(program.events(), forwarder::onEvent, program.eventsLost(),
					forwarder::onLost)) {
				reader.start();
				// No policy admits the frontend: each run is a denied verdict and a drop.
				byte[] syn = Packets.tcp("10.9.0.2", "10.9.0.1", 40000, 8080, Packets.TCP_SYN);
				long noLoss = 0;
				for (int rate : RATES) {
					long stored = observer.seenFlows();
					long lost = lost(observer);
					long start = System.nanoTime();
					long emitted = 2 * drive(program, syn, rate / 2, millis);
					double offered = emitted * 1e9 / (System.nanoTime() - start);
					long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
					while (observer.seenFlows() - stored + lost(observer) - lost < emitted
							&& System.nanoTime() < deadline) {
						Thread.sleep(5);
					}
					double elapsed = (System.nanoTime() - start) / 1e9;
					long nowStored = observer.seenFlows() - stored;
					long nowLost = lost(observer) - lost;
					System.out.printf(
							"datapath at %,d events/s offered (%,.0f measured): %,d stored, %,d lost "
									+ "(stored+lost = %,d of %,d emitted), %,.0f flows/s stored; load %s%n",
							rate, offered, nowStored, nowLost, nowStored + nowLost, emitted, nowStored / elapsed,
							HubbleBenchmark.load());
					if (nowLost == 0 && nowStored == emitted) {
						noLoss = Math.max(noLoss, (long) offered);
					}
				}
				System.out.printf("datapath: highest rate without loss %,d events/s%n", noLoss);
			}
		}
	}

	/**
	 * Runs the program {@code runsPerSecond} times a second for the duration; returns
	 * runs.
	 */
	private static long drive(EndpointProgram program, byte[] packet, int runsPerSecond, long millis) {
		long start = System.nanoTime();
		long end = start + TimeUnit.MILLISECONDS.toNanos(millis);
		long runs = 0;
		long now;
		while ((now = System.nanoTime()) < end) {
			long due = (now - start) * runsPerSecond / 1_000_000_000L - runs;
			if (due > 0) {
				program.toContainer().testRun(packet, (int) due);
				runs += due;
			}
			else {
				java.util.concurrent.locks.LockSupport.parkNanos(TICK_NANOS);
			}
		}
		return runs;
	}

	private static long lost(LocalObserver observer) {
		return observer.lostEvents().getOrDefault(LostEventSource.PERF_EVENT_RING_BUFFER, 0L);
	}

}
