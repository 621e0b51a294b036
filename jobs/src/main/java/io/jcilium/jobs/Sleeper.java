package io.jcilium.jobs;

import java.time.Duration;

/**
 * Waits between the iterations of a loop job; tests inject one that records the waits
 * instead of waiting.
 */
@FunctionalInterface
public interface Sleeper {

	/** The real one: {@link Thread#sleep(long, int)}. */
	Sleeper SYSTEM = (duration) -> Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));

	/**
	 * Waits.
	 * @param duration how long
	 * @throws InterruptedException when the job stops meanwhile
	 */
	void sleep(Duration duration) throws InterruptedException;

}
