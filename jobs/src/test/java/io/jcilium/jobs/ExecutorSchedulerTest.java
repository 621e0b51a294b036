package io.jcilium.jobs;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ExecutorSchedulerTest {

	@Test
	void runsOnDaemonThreadsNamedAfterTheOwnerAndRunsNothingAfterClose() throws Exception {
		BlockingQueue<Thread> ran = new LinkedBlockingQueue<>();
		ExecutorScheduler scheduler = new ExecutorScheduler("identity-client", 1);
		scheduler.schedule(() -> ran.add(Thread.currentThread()), Duration.ZERO);
		Thread thread = ran.poll(30, TimeUnit.SECONDS);
		assertThat(thread).isNotNull();
		assertThat(thread.getName()).startsWith("identity-client-jobs-");
		assertThat(thread.isDaemon()).isTrue();

		scheduler.close();
		Scheduler.Cancellable afterClose = scheduler.schedule(() -> ran.add(Thread.currentThread()), Duration.ZERO);
		afterClose.cancel();
		thread.join(TimeUnit.SECONDS.toMillis(30));
		assertThat(thread.isAlive()).isFalse();
		assertThat(ran).isEmpty();
	}

}
