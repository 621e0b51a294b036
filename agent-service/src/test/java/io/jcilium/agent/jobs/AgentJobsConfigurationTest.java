package io.jcilium.agent.jobs;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.jcilium.agent.k8s.RetryingWriter;
import io.jcilium.jobs.Jobs;
import io.jcilium.jobs.metrics.JobMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent's jobs show as metrics: a write the API server refuses is counted as a
 * failure of the writer's job, under its name, and its success afterwards as a run.
 */
class AgentJobsConfigurationTest {

	private static final long TIMEOUT_NANOS = Duration.ofSeconds(30).toNanos();

	@Test
	void failedAndRetriedWritesShowAsJobMetrics() {
		new ApplicationContextRunner().withUserConfiguration(AgentJobsConfiguration.class).run((context) -> {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			context.getBean(JobMetrics.class).bindTo(registry);
			AtomicInteger attempts = new AtomicInteger();
			try (RetryingWriter writer = new RetryingWriter(context.getBean(Jobs.class), "k8s-writer",
					Duration.ofMillis(5), Duration.ofMillis(20))) {
				writer.submit("cep/default/web", () -> {
					if (attempts.incrementAndGet() < 3) {
						throw new IllegalStateException("API server refused the write");
					}
				});
				// The third run is recorded once the write has gone through.
				long deadline = System.nanoTime() + TIMEOUT_NANOS;
				while (counter(registry, "jcilium.job.runs") < 3 && System.nanoTime() < deadline) {
					Thread.sleep(10);
				}
				assertThat(writer.pending()).as("the write went through").isZero();
			}
			assertThat(counter(registry, "jcilium.job.failures")).isEqualTo(2);
			assertThat(counter(registry, "jcilium.job.runs")).isEqualTo(3);
			assertThat(registry.get("jcilium.job.failures.in.a.row").tag("job", "k8s-writer").gauge().value()).isZero();
		});
	}

	private static double counter(SimpleMeterRegistry registry, String name) {
		FunctionCounter counter = registry.get(name).tag("job", "k8s-writer").functionCounter();
		return counter.count();
	}

}
