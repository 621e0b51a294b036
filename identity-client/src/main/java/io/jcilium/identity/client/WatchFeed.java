package io.jcilium.identity.client;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.jcilium.api.identity.v1.IdentityEvent;
import io.jcilium.api.identity.v1.IdentityServiceGrpc;
import io.jcilium.api.identity.v1.WatchRequest;
import io.jcilium.common.label.Labels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one Watch stream open and feeds it into the {@link IdentityCache}. When the
 * stream ends or breaks it reconnects with backoff, each new stream beginning with a new
 * snapshot; the backoff restarts once a stream has delivered its whole snapshot.
 */
final class WatchFeed {

	private static final Logger logger = LoggerFactory.getLogger(WatchFeed.class);

	private final ManagedChannel channel;

	private final String target;

	private final String node;

	private final IdentityCache cache;

	private final Backoff backoff;

	private final ScheduledExecutorService scheduler;

	private final LongAdder reconnects = new LongAdder();

	private final LongAdder malformedEvents = new LongAdder();

	// Guarded by this: the stream that may feed the cache, and its cancellation.
	private long generation;

	private Context.CancellableContext stream;

	private boolean closed;

	private boolean failing;

	WatchFeed(ManagedChannel channel, String target, String node, IdentityCache cache, Backoff backoff,
			ScheduledExecutorService scheduler) {
		this.channel = channel;
		this.target = target;
		this.node = node;
		this.cache = cache;
		this.backoff = backoff;
		this.scheduler = scheduler;
	}

	void start() {
		this.scheduler.execute(this::connect);
	}

	/** Number of times the stream was opened again after it ended or broke. */
	long reconnects() {
		return this.reconnects.sum();
	}

	void close() {
		Context.CancellableContext current;
		synchronized (this) {
			this.closed = true;
			current = this.stream;
			this.stream = null;
		}
		if (current != null) {
			current.cancel(null);
		}
	}

	private void connect() {
		long streamGeneration;
		Context.CancellableContext context;
		synchronized (this) {
			if (this.closed) {
				return;
			}
			streamGeneration = ++this.generation;
			context = Context.current().withCancellation();
			this.stream = context;
		}
		this.cache.snapshotStarted();
		// The channel waits out its own reconnect backoff (growing to minutes) before it
		// dials again; this feed's backoff is the one that should decide.
		this.channel.resetConnectBackoff();
		context.run(() -> IdentityServiceGrpc.newStub(this.channel)
			.watch(WatchRequest.newBuilder().setNode(this.node).build(), new Events(streamGeneration)));
	}

	private void ended(long streamGeneration, Throwable error) {
		synchronized (this) {
			if (this.closed || streamGeneration != this.generation) {
				return;
			}
			this.stream = null;
			if (!this.failing) {
				this.failing = true;
				logger.warn(
						"identity watch on {} ended ({}); identities keep being answered from the cache, "
								+ "reconnecting with backoff",
						this.target,
						(error != null) ? CallClassification.describe(Status.fromThrowable(error).asRuntimeException())
								: "completed by the service");
			}
		}
		this.cache.streamLost();
		long delay = this.backoff.nextDelayMillis();
		try {
			this.scheduler.schedule(() -> {
				this.reconnects.increment();
				connect();
			}, delay, TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ignored) {
			// The client closed meanwhile.
		}
	}

	private void synced() {
		this.backoff.reset();
		synchronized (this) {
			if (this.failing) {
				this.failing = false;
				logger.info("identity watch on {} is back and synced", this.target);
			}
		}
	}

	private boolean current(long streamGeneration) {
		synchronized (this) {
			return !this.closed && streamGeneration == this.generation;
		}
	}

	/** One stream's events; those of a stream already replaced are dropped. */
	private final class Events implements StreamObserver<IdentityEvent> {

		private final long streamGeneration;

		Events(long streamGeneration) {
			this.streamGeneration = streamGeneration;
		}

		@Override
		public void onNext(IdentityEvent event) {
			if (!current(this.streamGeneration)) {
				return;
			}
			switch (event.getKind()) {
				case UPSERT -> upsert(event);
				case DELETE -> WatchFeed.this.cache.delete(Integer.toUnsignedLong(event.getIdentity().getId()));
				case SYNCED -> {
					WatchFeed.this.cache.snapshotEnded();
					synced();
				}
				default -> WatchFeed.this.malformedEvents.increment();
			}
		}

		private void upsert(IdentityEvent event) {
			long id = Integer.toUnsignedLong(event.getIdentity().getId());
			Labels labels;
			try {
				labels = Labels.parse(event.getIdentity().getLabelsList());
			}
			catch (IllegalArgumentException ex) {
				// Policy could not select it anyway; skip it rather than lose the stream.
				WatchFeed.this.malformedEvents.increment();
				logger.warn("identity {} from {} has labels this agent cannot read, skipped: {}", id,
						WatchFeed.this.target, ex.getMessage());
				return;
			}
			WatchFeed.this.cache.upsert(id, labels);
		}

		@Override
		public void onError(Throwable error) {
			ended(this.streamGeneration, error);
		}

		@Override
		public void onCompleted() {
			ended(this.streamGeneration, null);
		}

	}

}
