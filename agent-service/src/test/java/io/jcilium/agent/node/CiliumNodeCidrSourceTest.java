package io.jcilium.agent.node;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CiliumNodeCidrSourceTest {

	@Test
	void theFirstAddressWaitsForTheCiliumNodesCidr() throws Exception {
		CiliumNodeCidrSource source = new CiliumNodeCidrSource("10.0.0.0/24", Duration.ofMinutes(1));
		CompletableFuture<String> first = CompletableFuture.supplyAsync(source::awaitPodCidr);
		Thread.sleep(200);
		assertThat(first).isNotDone();

		source.update(List.of("fd00::/64", "10.7.3.0/24"));

		assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("10.7.3.0/24");
		assertThat(source.assignedByCluster()).isTrue();
	}

	@Test
	void withoutACiliumNodeTheConfiguredCidrIsUsedOnceTheWaitIsOver() {
		CiliumNodeCidrSource source = new CiliumNodeCidrSource("10.0.0.0/24", Duration.ofMillis(100));

		assertThat(source.awaitPodCidr()).isEqualTo("10.0.0.0/24");
		assertThat(source.assignedByCluster()).isFalse();
	}

}
