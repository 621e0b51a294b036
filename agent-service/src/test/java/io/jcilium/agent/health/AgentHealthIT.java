package io.jcilium.agent.health;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.jcilium.agent.datapath.DatapathHealthConfiguration;
import io.jcilium.identity.client.IdentityClient;
import io.jcilium.identity.client.IdentityClientSettings;
import io.jcilium.testsupport.ServiceSmokeChecks;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The agent's health indicators against what they watch: fabric8's mock API server (up)
 * and ports where nothing listens (an API server and an identity-service that are down).
 */
@EnableKubernetesMockClient
class AgentHealthIT {

	static KubernetesClient client;

	static KubernetesMockServer server;

	@Test
	void apiServerIsUpWhileItAnswersVersion() {
		// The mock server answers /version itself (as 0.0).
		Health health = new ApiServerHealthIndicator(client, Duration.ofSeconds(30), Duration.ZERO).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("server", client.getMasterUrl().toString())
			.containsEntry("version", "0.0");
	}

	@Test
	void manyHealthRequestsWithinTheIntervalAskTheApiServerOnce() throws Exception {
		ApiServerHealthIndicator indicator = new ApiServerHealthIndicator(client, Duration.ofSeconds(30),
				Duration.ofHours(1));
		int before = server.getRequestCount();
		List<Callable<Health>> requests = Collections.nCopies(40, indicator::health);
		ExecutorService callers = Executors.newFixedThreadPool(8);
		try {
			for (Future<Health> health : callers.invokeAll(requests)) {
				assertThat(health.get().getStatus()).isEqualTo(Status.UP);
			}
		}
		finally {
			callers.shutdownNow();
		}
		assertThat(server.getRequestCount() - before).as("GET /version requests for 40 health requests").isEqualTo(1);
	}

	@Test
	void anAnswerOlderThanTheIntervalIsAskedAgain() throws InterruptedException {
		ApiServerHealthIndicator indicator = new ApiServerHealthIndicator(client, Duration.ofSeconds(30),
				Duration.ofMillis(200));
		int before = server.getRequestCount();
		indicator.health();
		indicator.health();
		Thread.sleep(300);
		assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
		assertThat(server.getRequestCount() - before).isEqualTo(2);
	}

	@Test
	void apiServerIsDownWithTheReasonWhenNothingAnswers() throws IOException {
		String url = "http://127.0.0.1:" + ServiceSmokeChecks.portWhereNothingListens();
		try (KubernetesClient unreachable = clientWithoutRetries(url)) {
			Health health = new ApiServerHealthIndicator(unreachable, Duration.ofSeconds(30), Duration.ZERO).health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("server", url + "/");
			assertThat((String) health.getDetails().get("reason")).startsWith("GET /version failed");
		}
	}

	@Test
	void apiServerIsDownWithTheReasonWhenVersionAnswersNotFound() throws IOException {
		// An API server (or a proxy in front of it) answering 404: fabric8 returns no
		// version.
		HttpServer notFound = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		notFound.createContext("/", (exchange) -> {
			exchange.sendResponseHeaders(404, -1);
			exchange.close();
		});
		notFound.start();
		String url = "http://127.0.0.1:" + notFound.getAddress().getPort();
		try (KubernetesClient answersNotFound = clientWithoutRetries(url)) {
			Health health = new ApiServerHealthIndicator(answersNotFound, Duration.ofSeconds(30), Duration.ZERO)
				.health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("reason", "GET /version answered without a version");
		}
		finally {
			notFound.stop(0);
		}
	}

	@Test
	void theFirstQuestionIsAskedWhenTheAgentStartsAndAnsweredFromThen() throws InterruptedException {
		ApiServerHealthIndicator indicator = new ApiServerHealthIndicator(client, Duration.ofSeconds(30),
				Duration.ofHours(1));
		int before = server.getRequestCount();
		indicator.afterSingletonsInstantiated();
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (server.getRequestCount() == before && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		assertThat(server.getRequestCount() - before).as("GET /version asked at start").isEqualTo(1);
		assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
		assertThat(server.getRequestCount() - before).as("the health request asked nothing more").isEqualTo(1);
	}

	@Test
	void identityServiceIsDownWithTheReasonOnceACallFailed() throws IOException {
		IdentityClientSettings settings = IdentityClientSettings
			.defaults("static://127.0.0.1:" + ServiceSmokeChecks.portWhereNothingListens(), "node-1");
		try (IdentityClient identity = IdentityClient.create(settings)) {
			IdentityServiceHealthIndicator indicator = new IdentityServiceHealthIndicator(identity);
			assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

			assertThatThrownBy(() -> identity.lookup(70000)).isInstanceOf(RuntimeException.class);

			Health health = indicator.health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat((String) health.getDetails().get("reason")).startsWith("identity-service is not answering since")
				.contains("UNAVAILABLE");
		}
	}

	@Test
	void theWiringNamesEveryDependencyAndReportsASwitchedOffFeatureUnknown() {
		new ApplicationContextRunner()
			.withUserConfiguration(AgentHealthConfiguration.class, DatapathHealthConfiguration.class)
			.run((context) -> {
				assertThat(context.getBeansOfType(HealthIndicator.class)).containsOnlyKeys("apiServerHealthIndicator",
						"datapathHealthIndicator", "identityServiceHealthIndicator");
				for (HealthIndicator indicator : context.getBeansOfType(HealthIndicator.class).values()) {
					Health health = indicator.health();
					assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
					assertThat((String) health.getDetails().get("reason")).startsWith("disabled (jcilium.");
				}
			});
	}

	private static KubernetesClient clientWithoutRetries(String url) {
		return new KubernetesClientBuilder()
			.withConfig(new ConfigBuilder().withMasterUrl(url).withRequestRetryBackoffLimit(0).build())
			.build();
	}

}
