package io.jcilium.agent.health;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Whether the Kubernetes API server answers: the agent learns pods, policies and nodes
 * from it. Asks {@code /version}, the cheapest request every API server answers, within a
 * bound, so a hung API server makes the agent DOWN rather than the health check hang.
 * <p>
 * At most one question per {@code maxAge}, as upstream's status collector probes every 5
 * s: every health request (probes, scrapes, the console, the gRPC health refresh) in
 * between gets the last answer, and requests that arrive while a question is out wait for
 * it instead of asking again. So the API server sees one request per agent per interval
 * however often the agent is asked, and a slow API server never piles up blocked threads.
 * <p>
 * The first question is asked as the agent starts (once its beans exist, before its
 * servers and informers start), on a thread of its own, as upstream's status collector
 * starts its probes with the agent: the first health request (the kubelet's startup
 * probe, a restart's readiness) then finds the answer, or waits for the question already
 * out, instead of making the client's first request itself.
 */
class ApiServerHealthIndicator implements HealthIndicator, SmartInitializingSingleton {

	private final KubernetesClient client;

	private final Duration timeout;

	private final long maxAgeNanos;

	private final Object asking = new Object();

	private volatile Answer last;

	/**
	 * @param client the agent's client, or null when the agent runs without Kubernetes
	 * @param timeout how long to wait for {@code /version}
	 * @param maxAge how long an answer is given again before the API server is asked anew
	 */
	ApiServerHealthIndicator(KubernetesClient client, Duration timeout, Duration maxAge) {
		this.client = client;
		this.timeout = timeout;
		this.maxAgeNanos = maxAge.toNanos();
	}

	@Override
	public void afterSingletonsInstantiated() {
		if (this.client != null) {
			Thread first = new Thread(this::health, "api-server-health");
			first.setDaemon(true);
			first.start();
		}
	}

	@Override
	public Health health() {
		if (this.client == null) {
			return Health.unknown().withDetail("reason", "disabled (jcilium.agent.k8s.enabled=false)").build();
		}
		Answer answer = this.last;
		if (answer != null && answer.isFresh(this.maxAgeNanos)) {
			return answer.health();
		}
		synchronized (this.asking) {
			answer = this.last;
			if (answer == null || !answer.isFresh(this.maxAgeNanos)) {
				answer = new Answer(ask(), System.nanoTime());
				this.last = answer;
			}
			return answer.health();
		}
	}

	private Health ask() {
		String server = String.valueOf(this.client.getMasterUrl());
		CompletableFuture<VersionInfo> version = CompletableFuture.supplyAsync(this.client::getKubernetesVersion);
		try {
			VersionInfo info = version.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
			if (info == null) {
				// fabric8 returns no version for an answer other than 200 (a 404, say).
				return down(server, "GET /version answered without a version");
			}
			String answered = (info.getGitVersion() != null) ? info.getGitVersion()
					: info.getMajor() + "." + info.getMinor();
			return Health.up().withDetail("server", server).withDetail("version", answered).build();
		}
		catch (TimeoutException ex) {
			version.cancel(true);
			return down(server, "no answer to GET /version within " + this.timeout.toMillis() + " ms");
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			return down(server, "GET /version failed: " + cause.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return down(server, "interrupted while asking /version");
		}
	}

	private static Health down(String server, String reason) {
		return Health.down().withDetail("server", server).withDetail("reason", reason).build();
	}

	private record Answer(Health health, long askedAtNanos) {

		boolean isFresh(long maxAgeNanos) {
			return System.nanoTime() - this.askedAtNanos < maxAgeNanos;
		}

	}

}
