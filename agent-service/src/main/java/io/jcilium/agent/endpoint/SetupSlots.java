package io.jcilium.agent.endpoint;

import java.util.concurrent.Semaphore;

/**
 * Bounds the CPU-heavy part of creating endpoints to about the number of cores: the veth
 * set-up (forked {@code ip} runs, each link change taken by the kernel under its RTNL
 * lock) and the guard's bpf_lxc load through the verifier. An ADD holds its API worker
 * while it waits for its endpoint, so the connection queue stays large; only these steps
 * queue here, in arrival order. Run all at once, a burst of 20 or 100 pods shares two
 * cores twenty or a hundred ways and every pod is ready late (and a 10 s {@code ip}
 * timeout measured the queue in front of the kernel, not the command); run a few at a
 * time, the first pods are ready early and each step's timeout counts its own run only.
 */
final class SetupSlots {

	private final Semaphore slots;

	/**
	 * @param count endpoints set up at once; 0 for the number of cores
	 */
	SetupSlots(int count) {
		if (count < 0) {
			throw new IllegalArgumentException(
					"concurrent endpoint set-ups must be 0 (the cores) or more, not " + count);
		}
		// fair: a pod of a burst never waits behind pods that came after it
		this.slots = new Semaphore((count == 0) ? Runtime.getRuntime().availableProcessors() : count, true);
	}

	/**
	 * Waits for a slot; {@link #release()} gives it back.
	 * @throws InterruptedException when interrupted while waiting
	 */
	void acquire() throws InterruptedException {
		this.slots.acquire();
	}

	void release() {
		this.slots.release();
	}

	/** Slots free now (tests). */
	int available() {
		return this.slots.availablePermits();
	}

}
