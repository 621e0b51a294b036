package io.jcilium.jobs;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's counters and last outcome. Logs when the job starts failing and when it
 * recovers, not on every failed run.
 */
final class JobRecord {

	private static final Logger logger = LoggerFactory.getLogger(JobRecord.class);

	private final String name;

	private final Clock clock;

	private long runs;

	private long failures;

	private int failuresInARow;

	private String lastError;

	private Instant lastSuccess;

	private Instant lastFailure;

	JobRecord(String name, Clock clock) {
		this.name = name;
		this.clock = clock;
	}

	synchronized void succeeded() {
		this.runs++;
		progressed();
	}

	/** Progress made inside a run (e.g. a stream synced): the backoff starts over. */
	synchronized void progressed() {
		if (this.lastError != null) {
			logger.info("{} recovered after {} failures in a row", this.name, this.failuresInARow);
		}
		this.failuresInARow = 0;
		this.lastError = null;
		this.lastSuccess = this.clock.instant();
	}

	/**
	 * Records a failed run.
	 * @return the failures in a row, this one included
	 */
	synchronized int failed(Throwable error) {
		this.runs++;
		this.failures++;
		this.failuresInARow++;
		this.lastFailure = this.clock.instant();
		String message = describe(error);
		if (this.lastError == null) {
			logger.warn("{} failed, retrying with backoff: {}", this.name, message);
		}
		this.lastError = message;
		return this.failuresInARow;
	}

	synchronized int failuresInARow() {
		return this.failuresInARow;
	}

	synchronized JobStatus status(boolean running) {
		return new JobStatus(this.name, running, this.runs, this.failures, this.failuresInARow,
				Optional.ofNullable(this.lastError), Optional.ofNullable(this.lastSuccess),
				Optional.ofNullable(this.lastFailure));
	}

	private static String describe(Throwable error) {
		String message = error.getMessage();
		return (message != null && !message.isBlank()) ? message : error.getClass().getSimpleName();
	}

}
