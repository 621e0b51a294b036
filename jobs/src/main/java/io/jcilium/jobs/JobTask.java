package io.jcilium.jobs;

/**
 * One run of a job's work. Throwing marks the run failed: its message becomes the job's
 * last error and the job backs off before it runs again.
 */
@FunctionalInterface
public interface JobTask {

	void run() throws Exception;

}
