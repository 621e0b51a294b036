package io.jcilium.identity.redis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Groups concurrent allocations into one run of the allocate script. A request goes out
 * at once while fewer than {@link #MAX_IN_FLIGHT} batches are with Redis; otherwise it
 * waits for the next batch, which leaves when one returns. So an idle service adds no
 * delay, and a busy one makes one Redis call (one script start, one write, one append to
 * Redis' log) for many allocations instead of one each.
 */
final class AllocationBatches {

	/**
	 * Requests per script run: large enough to share the cost, small enough to keep Redis
	 * responsive.
	 */
	static final int MAX_BATCH = 64;

	/** Two batches keep Redis busy while the reply of the other one travels. */
	static final int MAX_IN_FLIGHT = 2;

	private final AsyncLuaScript script;

	private final byte[][] keys;

	private final String[] prefixArgs;

	private final ArrayDeque<Request> waiting = new ArrayDeque<>();

	private int inFlight;

	AllocationBatches(AsyncLuaScript script, byte[][] keys, String... prefixArgs) {
		this.script = script;
		this.keys = keys;
		this.prefixArgs = prefixArgs;
	}

	/**
	 * Queues one request.
	 * @param args the request's script arguments
	 * @return its part of the reply
	 */
	CompletableFuture<List<Object>> submit(String... args) {
		Request request = new Request(args, new CompletableFuture<>());
		List<Request> batch;
		synchronized (this) {
			this.waiting.add(request);
			batch = nextBatch();
		}
		if (batch != null) {
			send(batch);
		}
		return request.reply;
	}

	private List<Request> nextBatch() {
		if (this.inFlight >= MAX_IN_FLIGHT || this.waiting.isEmpty()) {
			return null;
		}
		this.inFlight++;
		List<Request> batch = new ArrayList<>(Math.min(this.waiting.size(), MAX_BATCH));
		while (batch.size() < MAX_BATCH && !this.waiting.isEmpty()) {
			batch.add(this.waiting.poll());
		}
		return batch;
	}

	private void send(List<Request> batch) {
		int perRequest = batch.get(0).args.length;
		String[] args = new String[this.prefixArgs.length + batch.size() * perRequest];
		System.arraycopy(this.prefixArgs, 0, args, 0, this.prefixArgs.length);
		int at = this.prefixArgs.length;
		for (Request request : batch) {
			System.arraycopy(request.args, 0, args, at, perRequest);
			at += perRequest;
		}
		CompletableFuture<List<Object>> sent;
		try {
			sent = this.script.run(this.keys, args);
		}
		catch (RuntimeException ex) {
			// The batch must still leave the in-flight count, or two such failures would
			// hold every later allocation forever.
			sent = CompletableFuture.failedFuture(ex);
		}
		sent.whenComplete((reply, error) -> {
			List<Request> next;
			synchronized (this) {
				this.inFlight--;
				next = nextBatch();
			}
			if (next != null) {
				send(next);
			}
			complete(batch, reply, error);
		});
	}

	private static void complete(List<Request> batch, List<Object> reply, Throwable error) {
		int partSize = (error == null) ? reply.size() / batch.size() : 0;
		for (int i = 0; i < batch.size(); i++) {
			if (error != null) {
				batch.get(i).reply.completeExceptionally(error);
			}
			else {
				batch.get(i).reply.complete(reply.subList(i * partSize, (i + 1) * partSize));
			}
		}
	}

	private record Request(String[] args, CompletableFuture<List<Object>> reply) {
	}

}
