package io.jcilium.identity.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.LongAdder;

import io.grpc.ClientInterceptor;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.jcilium.api.identity.v1.IdentityEvent;
import io.jcilium.api.caller.Caller;
import io.jcilium.api.caller.CallerHeader;
import io.jcilium.api.identity.v1.IdentityServiceGrpc;
import io.jcilium.api.identity.v1.WatchRequest;
import io.jcilium.common.label.Labels;
import io.jcilium.jobs.Backoff;
import io.jcilium.jobs.Job;
import io.jcilium.jobs.Jobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one Watch stream open and feeds it into the {@link IdentityCache}: a loop job
 * whose every iteration opens a stream and waits for its end. When the stream ends or
 * breaks the job reconnects after its backoff, each new stream beginning with a new
 * snapshot; the backoff starts over once a stream has delivered its whole snapshot.
 */
final class WatchFeed {

	static final String JOB = "identity-watch";

	private static final Logger logger = LoggerFactory.getLogger(WatchFeed.class);

	private final ManagedChannel channel;

	private final ClientInterceptor caller;

	private final String target;

	private final String node;

	private final IdentityCache cache;

	private final Job job;

	private final LongAdder streams = new LongAdder();

	private final LongAdder malformedEvents = new LongAdder();

	WatchFeed(ManagedChannel channel, String target, String node, IdentityCache cache, Backoff backoff, Jobs jobs) {
		this.channel = channel;
		this.caller = CallerHeader.declaring(Caller.node(node));
		this.target = target;
		this.node = node;
		this.cache = cache;
		this.job = jobs.loop(JOB, backoff, this::followOneStream);
	}

	void start() {
		this.job.start();
	}

	/** Number of times the stream was opened again after it ended or broke. */
	long reconnects() {
		return Math.max(0, this.streams.sum() - 1);
	}

	void close() {
		this.job.stop();
	}

	/**
	 * Opens a stream and feeds the cache from it until it ends.
	 * @throws StreamEnded when it ends or breaks, so the job backs off before the next
	 * @throws InterruptedException when the feed closes meanwhile
	 */
	private void followOneStream() throws InterruptedException {
		this.streams.increment();
		Events events = new Events();
		Context.CancellableContext context = Context.current().withCancellation();
		this.cache.snapshotStarted();
		// The channel waits out its own reconnect backoff (growing to minutes) before it
		// dials again; this feed's backoff is the one that should decide.
		this.channel.resetConnectBackoff();
		try {
			context.run(() -> IdentityServiceGrpc.newStub(this.channel)
				.withInterceptors(this.caller)
				.watch(WatchRequest.newBuilder().setNode(this.node).build(), events));
			Throwable error;
			try {
				error = events.ended.get();
			}
			catch (ExecutionException ex) {
				error = ex.getCause();
			}
			this.cache.streamLost();
			throw new StreamEnded("identity watch on " + this.target + " ended ("
					+ ((error != null) ? CallClassification.describe(Status.fromThrowable(error).asRuntimeException())
							: "completed by the service")
					+ "); identities keep being answered from the cache");
		}
		finally {
			events.current = false;
			context.cancel(null);
		}
	}

	/** One stream's events; those arriving after the feed moved on are dropped. */
	private final class Events implements StreamObserver<IdentityEvent> {

		private final CompletableFuture<Throwable> ended = new CompletableFuture<>();

		private volatile boolean current = true;

		@Override
		public void onNext(IdentityEvent event) {
			if (!this.current) {
				return;
			}
			switch (event.getKind()) {
				case UPSERT -> upsert(event);
				case DELETE -> WatchFeed.this.cache.delete(Integer.toUnsignedLong(event.getIdentity().getId()));
				case SYNCED -> {
					WatchFeed.this.cache.snapshotEnded();
					// Synced: a later break backs off from the start again.
					WatchFeed.this.job.progressed();
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
			this.ended.complete(error);
		}

		@Override
		public void onCompleted() {
			this.ended.complete(null);
		}

	}

	/** The stream ended or broke: the job's failure, its message the job's last error. */
	private static final class StreamEnded extends RuntimeException {

		private static final long serialVersionUID = 1L;

		StreamEnded(String message) {
			super(message, null, false, false);
		}

	}

}
