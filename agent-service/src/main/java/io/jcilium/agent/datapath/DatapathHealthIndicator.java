package io.jcilium.agent.datapath;

import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Whether the eBPF datapath is in place: the node's maps are open and their pins are
 * still on bpffs (someone unmounting bpffs or deleting the pins would leave pods without
 * policy after the next agent restart).
 */
class DatapathHealthIndicator implements HealthIndicator {

	private final DatapathLifecycle datapath;

	/**
	 * @param datapath the datapath, or null when the agent runs without one
	 */
	DatapathHealthIndicator(DatapathLifecycle datapath) {
		this.datapath = datapath;
	}

	@Override
	public Health health() {
		if (this.datapath == null) {
			return Health.unknown().withDetail("reason", "disabled (jcilium.datapath.enabled=false)").build();
		}
		Path pins = this.datapath.layout().directory();
		if (!this.datapath.isRunning()) {
			return Health.down()
				.withDetail("pins", pins.toString())
				.withDetail("reason", "the datapath maps are not open (the agent is starting, stopping or failed)")
				.build();
		}
		if (!Files.isDirectory(pins)) {
			return Health.down()
				.withDetail("pins", pins.toString())
				.withDetail("reason", "the pinned maps' directory " + pins + " is gone from bpffs")
				.build();
		}
		return Health.up()
			.withDetail("pins", pins.toString())
			.withDetail("eventsRead", this.datapath.eventsRead())
			.build();
	}

}
