package io.jcilium.agent.hubble;

import java.nio.file.Path;
import java.time.Duration;

import io.jcilium.agent.hubble.history.HistorySettings;
import io.jcilium.agent.hubble.ring.FlowRing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of Hubble on the agent, under {@code jcilium.agent.hubble}.
 *
 * @param enabled turn datapath events into flows and serve {@code observer.Observer} on
 * the agent's gRPC port
 * @param ringCapacity flows kept in memory, a power of two minus one (upstream's
 * {@code hubble-event-buffer-capacity}, default 4095)
 * @param maxFlowStreams how many {@code GetFlows} calls may run at once; more are refused
 * with {@code RESOURCE_EXHAUSTED}
 * @param advertiseAddress the address relays reach this agent's Hubble API at, shown by
 * {@code GetNodes}; empty when not known
 * @param history the durable flow history
 */
@ConfigurationProperties("jcilium.agent.hubble")
public record HubbleProperties(@DefaultValue("true") boolean enabled, @DefaultValue("4095") int ringCapacity,
		@DefaultValue("64") int maxFlowStreams, @DefaultValue("") String advertiseAddress,
		@DefaultValue History history) {

	public HubbleProperties {
		try {
			FlowRing.validateCapacity(ringCapacity);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("jcilium.agent.hubble.ring-capacity: " + ex.getMessage(), ex);
		}
		if (maxFlowStreams < 1) {
			throw new IllegalArgumentException(
					"jcilium.agent.hubble.max-flow-streams must be at least 1, got " + maxFlowStreams);
		}
	}

	/**
	 * The durable flow history, under {@code jcilium.agent.hubble.history}: flows kept on
	 * disk beyond the ring, across agent restarts, read by {@code GetFlows} with
	 * {@code since}.
	 *
	 * @param enabled keep it
	 * @param directory where (the agent's state directory, so it survives restarts)
	 * @param retention how long flows are kept
	 * @param maxSize how much disk the history takes at most
	 * @param segmentSize the size of one file, the unit retention removes
	 */
	public record History(@DefaultValue("true") boolean enabled,
			@DefaultValue("/var/run/jcilium/state/hubble-flows") Path directory,
			@DefaultValue("24h") Duration retention, @DefaultValue("256MB") DataSize maxSize,
			@DefaultValue("8MB") DataSize segmentSize) {

		public History {
			if (enabled) {
				new HistorySettings(directory, retention, maxSize.toBytes(), segmentSize.toBytes());
			}
		}

		/** Off, for tests and callers that keep no history. */
		public static History off() {
			return new History(false, Path.of("hubble-flows"), Duration.ofHours(24), DataSize.ofMegabytes(256),
					DataSize.ofMegabytes(8));
		}

		/**
		 * @throws IllegalArgumentException naming the setting that cannot be used
		 */
		public HistorySettings settings() {
			return new HistorySettings(this.directory, this.retention, this.maxSize.toBytes(),
					this.segmentSize.toBytes());
		}

	}

}
