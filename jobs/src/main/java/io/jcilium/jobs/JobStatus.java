package io.jcilium.jobs;

import java.time.Instant;
import java.util.Optional;

/**
 * What a job has done so far, as seen at one instant.
 *
 * @param name the job's name
 * @param running whether the job is started and not yet stopped or finished
 * @param runs runs that ended, failed or not
 * @param failures runs that failed
 * @param failuresInARow failures since the last success
 * @param lastError the message of the last failure, while no run succeeded since
 * @param lastSuccess when a run last succeeded
 * @param lastFailure when a run last failed
 */
public record JobStatus(String name, boolean running, long runs, long failures, int failuresInARow,
		Optional<String> lastError, Optional<Instant> lastSuccess, Optional<Instant> lastFailure) {

	/**
	 * Whether the job is failing: its last run failed.
	 * @return {@code true} while no run succeeded since the last failure
	 */
	public boolean failing() {
		return this.lastError.isPresent();
	}

}
