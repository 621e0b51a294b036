package io.jcilium.jobs;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Creates a component's named jobs and keeps them, for metrics, health and a clean stop.
 * Job names are unique within one {@code Jobs}. Nothing runs until a job is started.
 */
public final class Jobs implements AutoCloseable {

	private final Scheduler scheduler;

	private final Clock clock;

	private final RandomGenerator random;

	private final Sleeper sleeper;

	private final ThreadFactory loopThreads;

	private final Map<String, Job> jobs = new ConcurrentHashMap<>();

	private final List<Consumer<Job>> listeners = new CopyOnWriteArrayList<>();

	/**
	 * Jobs on real time and threads.
	 * @param owner names the threads, e.g. {@code identity-client}
	 * @param threads how many periodic or retried jobs may run at the same time
	 */
	public Jobs(String owner, int threads) {
		this(new ExecutorScheduler(owner, threads), Clock.systemUTC(), RandomGenerator.getDefault(), Sleeper.SYSTEM,
				(task) -> {
					Thread thread = new Thread(task);
					thread.setDaemon(true);
					return thread;
				});
	}

	/**
	 * Jobs on the given time and threads (tests pass a manual scheduler and clock).
	 * @param scheduler runs the periodic and retried jobs
	 * @param clock stamps last success and failure
	 * @param random the backoff's jitter
	 * @param sleeper the waits of loop jobs
	 * @param loopThreads creates the threads of loop jobs (each is named after its job)
	 */
	public Jobs(Scheduler scheduler, Clock clock, RandomGenerator random, Sleeper sleeper, ThreadFactory loopThreads) {
		this.scheduler = scheduler;
		this.clock = clock;
		this.random = random;
		this.sleeper = sleeper;
		this.loopThreads = loopThreads;
	}

	/**
	 * A job that runs at once when started, then every interval; a failed run is retried
	 * after the backoff instead; {@link Job#trigger()} asks for a run before the interval
	 * is up (level-triggered reconcilers: an event triggers, the interval repairs a
	 * missed one).
	 * @param name the job's name (logs, thread name while it runs, metrics tag)
	 * @param interval time from the end of one successful run to the start of the next
	 * @param backoff delays after failed runs
	 * @param task one run
	 * @return the job, not started
	 */
	public Job periodic(String name, Duration interval, Backoff backoff, JobTask task) {
		if (interval.isNegative() || interval.isZero()) {
			throw new IllegalArgumentException("job " + name + ": interval must be positive, not " + interval);
		}
		return periodic(name, () -> interval, backoff, task);
	}

	/**
	 * As {@link #periodic(String, Duration, Backoff, JobTask)}, with an interval asked
	 * anew after each successful run (e.g. a third of a lease's announced time to live).
	 * @param name the job's name
	 * @param interval time from the end of one successful run to the start of the next
	 * @param backoff delays after failed runs
	 * @param task one run
	 * @return the job, not started
	 */
	public Job periodic(String name, Supplier<Duration> interval, Backoff backoff, JobTask task) {
		return add(new ScheduledJob(name, task, interval, backoff, this.scheduler, this.clock, this.random));
	}

	/**
	 * A job that runs at once when started, and after each failure again after the
	 * backoff, until one run succeeds; then it is done ({@link Job#isRunning()} turns
	 * false) until started again.
	 * @param name the job's name
	 * @param backoff delays after failed runs
	 * @param task one attempt
	 * @return the job, not started
	 */
	public Job retryUntilSuccess(String name, Backoff backoff, JobTask task) {
		return add(new ScheduledJob(name, task, null, backoff, this.scheduler, this.clock, this.random));
	}

	/**
	 * A long-running job on a thread of its own named after the job: the body runs again
	 * at once when it returns and after the backoff when it fails, until the job stops
	 * (which interrupts the thread). Call {@link Job#progressed()} from the body when it
	 * has got somewhere (e.g. a stream synced), so a later failure backs off from the
	 * start.
	 * @param name the job's name, also its thread's
	 * @param backoff delays after failed iterations
	 * @param body one iteration; it should block rather than return at once
	 * @return the job, not started
	 */
	public Job loop(String name, Backoff backoff, JobTask body) {
		return add(new LoopJob(name, body, backoff, this.loopThreads, this.sleeper, this.clock, this.random));
	}

	/**
	 * A job by name.
	 * @param name the job's name
	 * @return the job, or empty if there is none of that name
	 */
	public Optional<Job> job(String name) {
		return Optional.ofNullable(this.jobs.get(name));
	}

	/** Every job, in no particular order. */
	public List<Job> all() {
		return new ArrayList<>(this.jobs.values());
	}

	/**
	 * Calls the listener with every job there is now and every job created later (so
	 * metrics cover jobs created after they were bound).
	 * @param listener the listener
	 */
	public void forEachJob(Consumer<Job> listener) {
		this.listeners.add(listener);
		this.jobs.values().forEach(listener);
	}

	/** Stops every job and the scheduler's threads. */
	@Override
	public void close() {
		this.jobs.values().forEach(Job::stop);
		this.scheduler.close();
	}

	private Job add(Job job) {
		if (this.jobs.putIfAbsent(job.name(), job) != null) {
			throw new IllegalArgumentException("a job named " + job.name() + " exists already");
		}
		this.listeners.forEach((listener) -> listener.accept(job));
		return job;
	}

}
