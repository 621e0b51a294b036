package io.jcilium.agent.hubble;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.jcilium.agent.datapath.DatapathObjects;
import io.jcilium.agent.datapath.KernelRequirements;
import io.jcilium.agent.datapath.Packets;
import io.jcilium.agent.datapath.TestLibbpf;
import io.jcilium.agent.datapath.events.EventReader;
import io.jcilium.agent.datapath.events.FlowForwarder;
import io.jcilium.agent.datapath.libbpf.MonotonicClock;
import io.jcilium.agent.datapath.loader.EndpointProgram;
import io.jcilium.agent.datapath.loader.EndpointProgramLoader;
import io.jcilium.agent.datapath.maps.DatapathStructs;
import io.jcilium.agent.hubble.enrich.FlowEnricher;
import io.jcilium.agent.hubble.enrich.LocalEndpoints;
import io.jcilium.agent.hubble.ring.FlowRing;
import io.jcilium.api.hubble.flow.LostEventSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A flood into the datapath's event ring buffer while its reader is not reading: the
 * kernel counts what did not fit, and Hubble reports exactly that many as lost
 * ({@code PERF_EVENT_RING_BUFFER}), so flows plus losses add up to every event the
 * datapath tried to emit.
 */
class RingBufferLossIT {

	private EndpointProgram program;

	private EventReader reader;

	@AfterEach
	void tearDown() {
		if (this.reader != null) {
			this.reader.close();
		}
		if (this.program != null) {
			this.program.close();
		}
	}

	@Test
	void everyEventIsAFlowOrCountedLost() throws Exception {
		KernelRequirements.requireBpf();
		EndpointProgramLoader loader = new EndpointProgramLoader(TestLibbpf.get(),
				DatapathObjects.resolve(DatapathObjects.LXC), null);
		this.program = loader.load(new DatapathStructs.LxcConfig(1, 4101, 1, 0));
		LocalObserver observer = new LocalObserver(new FlowRing(65535),
				new FlowEnricher("node-1", new LocalEndpoints(), (id) -> List.of()), Clock.systemUTC());
		FlowForwarder forwarder = new FlowForwarder(() -> List.of(observer), MonotonicClock::nowNanos);
		this.reader = new EventReader(this.program.events(), forwarder::onEvent, this.program.eventsLost(),
				forwarder::onLost);

		// No policy admits anyone: each run is a denied policy verdict and a drop, two
		// events; 20000 runs are 40000 events, more than the 4 MiB ring holds.
		int runs = 20_000;
		byte[] syn = Packets.tcp("10.9.0.2", "10.9.0.1", 40000, 8080, Packets.TCP_SYN);
		this.program.toContainer().testRun(syn, runs);
		long expected = 2L * runs;
		long lostInKernel = this.reader.eventsLostInKernel();
		assertThat(lostInKernel).as("the ring overflowed").isPositive().isLessThan(expected);

		this.reader.start();
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (observer.seenFlows() + lost(observer) < expected) {
			if (System.nanoTime() > deadline) {
				fail("flows " + observer.seenFlows() + " + lost " + lost(observer) + " never reached " + expected);
			}
			Thread.sleep(20);
		}
		assertThat(lost(observer)).isEqualTo(lostInKernel);
		assertThat(observer.seenFlows() + lost(observer)).isEqualTo(expected);
		assertThat(observer.ring().size()).as("the flows and one or more lost-events records")
			.isGreaterThan(observer.seenFlows());
	}

	private static long lost(LocalObserver observer) {
		return observer.lostEvents().getOrDefault(LostEventSource.PERF_EVENT_RING_BUFFER, 0L);
	}

}
