package io.jcilium.identity.client;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.jcilium.api.identity.v1.Identity;
import io.jcilium.api.identity.v1.IdentityEvent;
import io.jcilium.common.label.Labels;
import io.jcilium.identity.client.IdentityClientSettings.BreakerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class IdentityClientTest {

	private static final Labels WEB = Labels.parse(List.of("k8s:app=web"));

	private final FakeIdentityService service = new FakeIdentityService();

	private Server server;

	private ManagedChannel channel;

	private IdentityClient client;

	@BeforeEach
	void start() throws IOException {
		String name = "identity-" + UUID.randomUUID();
		this.server = InProcessServerBuilder.forName(name).addService(this.service).build().start();
		this.channel = InProcessChannelBuilder.forName(name).build();
		IdentityClientSettings settings = new IdentityClientSettings("in-process", "node-1", Duration.ofMillis(300),
				Duration.ofMillis(800), Duration.ofSeconds(20),
				new IdentityClientSettings.RetrySettings(3, Duration.ofMillis(20), Duration.ofMillis(100)),
				new BreakerSettings(50, 4, 4, Duration.ofSeconds(30)),
				new IdentityClientSettings.BackoffSettings(Duration.ofMillis(20), Duration.ofMillis(100)),
				new IdentityClientSettings.KeepAliveSettings(Duration.ofSeconds(30), Duration.ofSeconds(10)));
		this.client = new IdentityClient(this.channel, settings);
	}

	@AfterEach
	void stop() {
		this.client.close();
		this.channel.shutdownNow();
		this.server.shutdownNow();
	}

	@Test
	void invalidArgumentIsNotRetriedAndSurfacesTheServiceMessage() {
		this.service.allocateAnswer = () -> Status.INVALID_ARGUMENT.withDescription("label 'k8s:=x' has an empty key");
		assertThatThrownBy(() -> this.client.allocate(WEB)).isInstanceOf(InvalidIdentityRequestException.class)
			.hasMessageContaining("label 'k8s:=x' has an empty key");
		assertThat(this.service.allocateAttempts).hasValue(1);
		assertThat(this.client.outage()).isEmpty();
	}

	@Test
	void transientFailuresAreRetriedUntilAnAnswer() {
		AtomicInteger attempt = new AtomicInteger();
		this.service.allocateAnswer = () -> (attempt.incrementAndGet() < 3)
				? Status.UNAVAILABLE.withDescription("Redis is unavailable") : 300;
		assertThat(this.client.allocate(WEB)).isEqualTo(300);
		assertThat(this.service.allocateAttempts).hasValue(3);
		assertThat(this.client.outage()).isEmpty();
	}

	@Test
	void unavailableServiceFailsNamingWhatAndSinceThenTheBreakerFailsCallsAtOnce() {
		this.service.allocateAnswer = () -> Status.UNAVAILABLE.withDescription("Redis is unavailable: refused");
		IdentityUnavailableException first = catchThrowableOfType(IdentityUnavailableException.class,
				() -> this.client.allocate(WEB));
		assertThat(first).hasMessageContaining("identity-service at in-process is unavailable since ")
			.hasMessageContaining("Redis is unavailable: refused")
			.hasMessageContaining("allocate failed");
		assertThat(this.service.allocateAttempts).hasValue(3);
		assertThatThrownBy(() -> this.client.allocate(WEB)).isInstanceOf(IdentityUnavailableException.class);
		assertThat(this.client.circuitBreakerState()).isEqualTo(CircuitBreaker.State.OPEN);

		int attemptsBefore = this.service.allocateAttempts.get();
		IdentityUnavailableException fast = catchThrowableOfType(IdentityUnavailableException.class,
				() -> this.client.allocate(WEB));
		// Fails at once: no attempt reaches the service, so none can wait for an answer.
		assertThat(this.service.allocateAttempts).hasValue(attemptsBefore);
		assertThat(fast).hasMessageContaining("Redis is unavailable: refused")
			.hasMessageContaining("circuit breaker open");
	}

	@Test
	void serviceThatNeverAnswersCostsAtMostTheCallTimeout() {
		this.service.allocateAnswer = () -> null;
		// The generous bound only catches a call that never ends; the deadlines below
		// are what bounds it.
		IdentityUnavailableException failure = assertTimeoutPreemptively(Duration.ofSeconds(30),
				() -> catchThrowableOfType(IdentityUnavailableException.class, () -> this.client.allocate(WEB)));
		assertThat(failure).hasMessageContaining("DEADLINE_EXCEEDED");
		// Every attempt went out with a deadline no longer than the attempt timeout (300
		// ms), and no more than the configured three attempts went out.
		assertThat(this.service.allocateDeadlinesMillis).isNotEmpty()
			.hasSizeLessThanOrEqualTo(3)
			.allSatisfy((remaining) -> assertThat(remaining).isBetween(0L, 300L));
		assertThat(this.service.allocateAttempts).hasValueLessThanOrEqualTo(3);
	}

	@Test
	void cachedAndReservedIdentitiesAreLookedUpWithoutACall() throws Exception {
		this.client.start();
		this.service.watching.get(30, TimeUnit.SECONDS);
		this.service.send(IdentityEvent.newBuilder()
			.setKind(IdentityEvent.Kind.UPSERT)
			.setIdentity(Identity.newBuilder().setId(256).addLabels("k8s:app=web"))
			.build());
		this.service.send(IdentityEvent.newBuilder().setKind(IdentityEvent.Kind.SYNCED).build());
		assertThat(this.client.cache().awaitSynced(Duration.ofSeconds(5))).isTrue();

		assertThat(this.client.lookup(256)).contains(WEB);
		assertThat(this.client.lookupByLabels(WEB)).hasValue(256);
		assertThat(this.client.lookup(1)).contains(Labels.parse(List.of("reserved:host")));
		assertThat(this.client.allocate(Labels.parse(List.of("reserved:world")))).isEqualTo(2);
		assertThat(this.service.lookupAttempts).hasValue(0);
		assertThat(this.service.allocateAttempts).hasValue(0);
		// Unknown ones are asked for; NOT_FOUND is an answer, not a failure.
		assertThat(this.client.lookup(999)).isEmpty();
		assertThat(this.service.lookupAttempts).hasValue(1);
	}

}
