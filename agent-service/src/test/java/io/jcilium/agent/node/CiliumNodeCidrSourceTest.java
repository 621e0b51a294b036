package io.jcilium.agent.node;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.jcilium.agent.endpoint.Eventually;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CiliumNodeCidrSourceTest {

	@Test
	void theFirstAddressWaitsForTheCiliumNodesCidr() throws Exception {
		CiliumNodeCidrSource source = new CiliumNodeCidrSource("node-1", Duration.ofMinutes(1));
		CompletableFuture<String> first = new CompletableFuture<>();
		Thread caller = new Thread(() -> first.complete(source.awaitPodCidr()), "awaits-pod-cidr");
		caller.setDaemon(true);
		caller.start();
		// Sleeping between its polls means it looked and found no CIDR yet.
		Eventually.await("the caller waiting for the CIDR", Duration.ofSeconds(30),
				() -> caller.getState() == Thread.State.TIMED_WAITING);
		assertThat(first).isNotDone();

		source.update(List.of("fd00::/64", "10.7.3.0/24"));

		assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("10.7.3.0/24");
		assertThat(source.assignedByCluster()).isTrue();
	}

	@Test
	void withoutACiliumNodeCidrNoDefaultIsUsedTheCallFailsSayingWhyAndTheNextWaitsAgain() {
		CiliumNodeCidrSource source = new CiliumNodeCidrSource("node-1", Duration.ofMillis(100));

		assertThatExceptionOfType(PodCidrNotAssignedException.class).isThrownBy(source::awaitPodCidr)
			.withMessageContaining("no IPv4 pod CIDR in CiliumNode node-1")
			.withMessageContaining("operator");
		assertThat(source.podCidr()).isEmpty();
		assertThat(source.assignedByCluster()).isFalse();

		source.update(List.of("10.7.4.0/24"));
		assertThat(source.awaitPodCidr()).isEqualTo("10.7.4.0/24");
		assertThat(source.podCidr()).contains("10.7.4.0/24");
	}

}
