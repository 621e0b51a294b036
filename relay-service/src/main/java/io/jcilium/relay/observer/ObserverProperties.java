package io.jcilium.relay.observer;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the relay's Observer, under {@code jcilium.relay.observer}.
 *
 * @param sortBufferMaxLen responses each node may send ahead of the time-ordered merge
 * (per node: upstream's {@code sort-buffer-len-max} is 100 for all nodes together)
 * @param sortBufferDrainTimeout how long a node that sends nothing holds the merge back
 * before it counts as idle (upstream's {@code sort-buffer-drain-timeout}, 1s)
 * @param maxFlowStreams how many {@code GetFlows} calls may run at once; more are refused
 * with {@code RESOURCE_EXHAUSTED}
 * @param statusTimeout how long a node may take to answer {@code ServerStatus} for
 * {@code GetNodes} and {@code ServerStatus} before it counts as unavailable
 */
@ConfigurationProperties("jcilium.relay.observer")
public record ObserverProperties(@DefaultValue("256") int sortBufferMaxLen,
		@DefaultValue("1s") Duration sortBufferDrainTimeout, @DefaultValue("64") int maxFlowStreams,
		@DefaultValue("5s") Duration statusTimeout) {

	public ObserverProperties {
		if (maxFlowStreams < 1) {
			throw new IllegalArgumentException(
					"jcilium.relay.observer.max-flow-streams must be at least 1, not " + maxFlowStreams);
		}
		if (statusTimeout.isNegative() || statusTimeout.isZero()) {
			throw new IllegalArgumentException(
					"jcilium.relay.observer.status-timeout must be positive, not " + statusTimeout);
		}
	}

	MergeSettings merge() {
		try {
			return new MergeSettings(this.sortBufferMaxLen, this.sortBufferDrainTimeout);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("jcilium.relay.observer: " + ex.getMessage(), ex);
		}
	}

}
