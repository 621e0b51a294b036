package io.jcilium.identity.client;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews this node's lease at identity-service, which keeps the node's identity
 * references alive: a node whose lease expires loses them to the garbage collector.
 * Renews every configured interval, or every third of the announced lease TTL when that
 * is shorter, so that two renewals may fail before the lease runs out.
 */
final class NodeLease {

	private static final Logger logger = LoggerFactory.getLogger(NodeLease.class);

	private final String node;

	private final Function<String, Duration> heartbeat;

	private final Duration interval;

	private final ScheduledExecutorService scheduler;

	private volatile boolean closed;

	private boolean failing;

	NodeLease(String node, Function<String, Duration> heartbeat, Duration interval,
			ScheduledExecutorService scheduler) {
		this.node = node;
		this.heartbeat = heartbeat;
		this.interval = interval;
		this.scheduler = scheduler;
	}

	void start() {
		this.scheduler.execute(this::renew);
	}

	void close() {
		this.closed = true;
	}

	private void renew() {
		if (this.closed) {
			return;
		}
		Duration next = this.interval;
		try {
			Duration ttl = this.heartbeat.apply(this.node);
			if (!ttl.isZero() && ttl.dividedBy(3).compareTo(next) < 0) {
				next = ttl.dividedBy(3);
			}
			if (this.failing) {
				this.failing = false;
				logger.info("lease of node {} renewed again", this.node);
			}
		}
		catch (IdentityClientException ex) {
			if (!this.failing) {
				this.failing = true;
				logger.warn("cannot renew the lease of node {}: {}", this.node, ex.getMessage());
			}
		}
		if (!this.closed) {
			try {
				this.scheduler.schedule(this::renew, Math.max(1, next.toMillis()), TimeUnit.MILLISECONDS);
			}
			catch (RejectedExecutionException ignored) {
				// The client closed meanwhile.
			}
		}
	}

}
