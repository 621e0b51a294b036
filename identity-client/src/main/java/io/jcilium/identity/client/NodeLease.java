package io.jcilium.identity.client;

import java.time.Duration;
import java.util.function.Function;

import io.jcilium.jobs.Backoff;
import io.jcilium.jobs.Job;
import io.jcilium.jobs.Jobs;

/**
 * Renews this node's lease at identity-service, which keeps the node's identity
 * references alive: a node whose lease expires loses them to the garbage collector. When
 * a renewal reports the lease lost (it expired while the node was cut off, or the store
 * lost its data), the registration handler runs, and runs again on every renewal until it
 * succeeds, so the node's references come back. Renews every configured interval, or
 * every third of the announced lease TTL when that is shorter, so that two renewals may
 * fail before the lease runs out; a failed renewal is retried with backoff, never later
 * than the interval.
 */
final class NodeLease {

	static final String JOB = "identity-lease";

	private final String node;

	private final Function<String, IdentityCalls.LeaseRenewal> heartbeat;

	private volatile Runnable onLeaseLost = () -> {
	};

	// Set when a renewal reports the lease lost, cleared once the handler succeeded.
	private volatile boolean registrationDue;

	private final Duration interval;

	private final Job job;

	private volatile Duration next;

	NodeLease(String node, Function<String, IdentityCalls.LeaseRenewal> heartbeat, Duration interval, Jobs jobs) {
		this.node = node;
		this.heartbeat = heartbeat;
		this.interval = interval;
		this.next = interval;
		Duration initialRetry = (interval.compareTo(Duration.ofSeconds(1)) < 0) ? interval : Duration.ofSeconds(1);
		this.job = jobs.periodic(JOB, () -> this.next, Backoff.exponential(initialRetry, interval), this::renew);
	}

	/** Sets what registers the node's identities again once its lease was lost. */
	void onLeaseLost(Runnable handler) {
		this.onLeaseLost = handler;
	}

	void start() {
		this.job.start();
	}

	void close() {
		this.job.stop();
	}

	private void renew() {
		IdentityCalls.LeaseRenewal renewal = this.heartbeat.apply(this.node);
		Duration ttl = renewal.ttl();
		Duration third = ttl.dividedBy(3);
		this.next = (!ttl.isZero() && third.compareTo(this.interval) < 0)
				? Duration.ofMillis(Math.max(1, third.toMillis())) : this.interval;
		if (renewal.leaseLost()) {
			this.registrationDue = true;
		}
		if (this.registrationDue) {
			// A failure fails the job, which retries with backoff: the next renewal finds
			// the lease live, so the flag is what remembers the registration is due.
			this.onLeaseLost.run();
			this.registrationDue = false;
		}
	}

}
