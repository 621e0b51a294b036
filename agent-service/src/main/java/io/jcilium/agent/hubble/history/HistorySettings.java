package io.jcilium.agent.hubble.history;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How much flow history an agent keeps, and where.
 *
 * @param directory where the segments are (under the agent's state directory, so they
 * survive its restart)
 * @param retention segments whose newest flow is older than this are removed
 * @param maxSizeBytes the oldest segments are removed while all of them together are
 * larger than this
 * @param segmentSizeBytes a segment is closed and a new one begun beyond this size (the
 * unit retention removes)
 */
public record HistorySettings(Path directory, Duration retention, long maxSizeBytes, long segmentSizeBytes) {

	/**
	 * @throws IllegalArgumentException naming the setting that cannot be used
	 */
	public HistorySettings {
		if (directory == null) {
			throw new IllegalArgumentException("jcilium.agent.hubble.history.directory must be set");
		}
		if (retention == null || retention.isNegative() || retention.isZero()) {
			throw new IllegalArgumentException(
					"jcilium.agent.hubble.history.retention must be a positive duration, got " + retention);
		}
		if (segmentSizeBytes < 4096) {
			throw new IllegalArgumentException(
					"jcilium.agent.hubble.history.segment-size must be at least 4KB, got " + segmentSizeBytes + "B");
		}
		if (maxSizeBytes < 2 * segmentSizeBytes) {
			throw new IllegalArgumentException("jcilium.agent.hubble.history.max-size (" + maxSizeBytes
					+ "B) must be at least twice the segment-size (" + segmentSizeBytes
					+ "B): retention removes whole segments");
		}
	}

}
