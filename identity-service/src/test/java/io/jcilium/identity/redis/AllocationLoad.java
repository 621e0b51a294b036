package io.jcilium.identity.redis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.grpc.StatusRuntimeException;
import io.jcilium.api.identity.v1.AllocateRequest;
import io.jcilium.api.identity.v1.LookupByLabelsRequest;
import io.jcilium.identity.testsupport.RunningIdentityService;

/**
 * Allocations without a pause from one thread, each for a new label set, as pods being
 * created during a drill: what every answer was, any number answered for two label sets,
 * refused calls, and when the first answer after a given moment came.
 */
final class AllocationLoad implements AutoCloseable {

	private final RunningIdentityService service;

	private final String prefix;

	private final Map<Long, String> labelsById = new ConcurrentHashMap<>();

	private final Map<String, Long> idByLabels = new ConcurrentHashMap<>();

	private final AtomicReference<String> duplicate = new AtomicReference<>();

	private final AtomicInteger refused = new AtomicInteger();

	private final AtomicInteger next = new AtomicInteger();

	private final Queue<Long> answerNanos = new ConcurrentLinkedQueue<>();

	private Thread thread;

	AllocationLoad(RunningIdentityService service, String prefix) {
		this.service = service;
		this.prefix = prefix;
	}

	/** Allocates in the calling thread until this many have been answered in all. */
	void allocateUntil(int answered) {
		while (this.idByLabels.size() < answered) {
			allocateOne();
		}
	}

	void start() {
		this.thread = new Thread(() -> {
			while (!Thread.currentThread().isInterrupted()) {
				allocateOne();
			}
		}, "allocation-load-" + this.prefix);
		this.thread.start();
	}

	/**
	 * Waits (up to two minutes) for this many more answers than now.
	 * @return whether they came
	 */
	boolean awaitMore(int more) throws InterruptedException {
		int target = answered() + more;
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		while (answered() < target && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		return answered() >= target;
	}

	int answered() {
		return this.idByLabels.size();
	}

	int refused() {
		return this.refused.get();
	}

	/** A number answered for two label sets, or null. */
	String duplicate() {
		return this.duplicate.get();
	}

	/**
	 * The longest pause between two answers from a moment ({@link System#nanoTime()}) on,
	 * counting from the last answer before it: how long callers went unanswered.
	 */
	long longestPauseMillisFrom(long nanos) {
		List<Long> times = new ArrayList<>(this.answerNanos);
		Collections.sort(times);
		long longest = 0;
		for (int i = 1; i < times.size(); i++) {
			if (times.get(i) >= nanos) {
				longest = Math.max(longest, times.get(i) - times.get(i - 1));
			}
		}
		return TimeUnit.NANOSECONDS.toMillis(longest);
	}

	Map<String, Long> answers() {
		return Map.copyOf(this.idByLabels);
	}

	/** Answered label sets whose number the service no longer gives for them. */
	long lostOf(Map<String, Long> answers) {
		return answers.entrySet()
			.stream()
			.filter((answer) -> this.service.blocking()
				.lookupByLabels(LookupByLabelsRequest.newBuilder().addLabels(answer.getKey()).build())
				.getId() != answer.getValue().intValue())
			.count();
	}

	private void allocateOne() {
		String label = "k8s:app=" + this.prefix + "-" + this.next.getAndIncrement();
		try {
			long id = this.service.blocking()
				.allocate(AllocateRequest.newBuilder().addLabels(label).setNode("n1").build())
				.getIdentity()
				.getId();
			String before = this.labelsById.putIfAbsent(id, label);
			if (before != null && !before.equals(label)) {
				this.duplicate.set(id + " went to " + before + " and to " + label);
			}
			this.idByLabels.put(label, id);
			this.answerNanos.add(System.nanoTime());
		}
		catch (StatusRuntimeException ex) {
			// Redis is away: the caller retries, as the agent does.
			this.refused.incrementAndGet();
		}
	}

	@Override
	public void close() throws InterruptedException {
		if (this.thread != null) {
			this.thread.interrupt();
			this.thread.join(TimeUnit.SECONDS.toMillis(60));
		}
	}

}
