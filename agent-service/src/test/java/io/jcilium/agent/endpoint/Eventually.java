package io.jcilium.agent.endpoint;

import java.time.Duration;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.fail;

/** Polls a condition that background work makes true. */
public final class Eventually {

	private Eventually() {
	}

	public static void await(String what, Duration timeout, Supplier<Boolean> condition) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.get()) {
			if (System.nanoTime() > deadline) {
				fail("not within " + timeout.toMillis() + " ms: " + what);
			}
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				fail("interrupted while waiting for " + what);
			}
		}
	}

}
