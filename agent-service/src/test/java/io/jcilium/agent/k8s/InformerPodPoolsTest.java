package io.jcilium.agent.k8s;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A pod's multi-pool pool from caches filled by two watches: the pod's and its
 * namespace's, either of which may come first.
 */
class InformerPodPoolsTest {

	private static final Pod DB = new PodBuilder().withNewMetadata()
		.withNamespace("blue-team")
		.withName("db")
		.endMetadata()
		.build();

	private static final Namespace BLUE_TEAM = new NamespaceBuilder().withNewMetadata()
		.withName("blue-team")
		.withAnnotations(Map.of("ipam.cilium.io/ip-pool", "blue"))
		.endMetadata()
		.build();

	@Test
	void aNamespaceSeenAfterItsPodStillDecidesThePool() throws Exception {
		AtomicReference<Namespace> namespaces = new AtomicReference<>();
		InformerPodPools pools = new InformerPodPools((namespace, name) -> DB,
				(name) -> "blue-team".equals(name) ? namespaces.get() : null, Duration.ofSeconds(30));

		CompletableFuture<String> pool = CompletableFuture.supplyAsync(() -> pools.poolOf("blue-team", "db"));
		Thread.sleep(200);
		assertThat(pool).isNotDone();
		namespaces.set(BLUE_TEAM);

		assertThat(pool.get(30, TimeUnit.SECONDS)).isEqualTo("blue");
	}

	@Test
	void aPodWhoseNamespaceIsNeverSeenGetsNoGuessedPool() {
		InformerPodPools pools = new InformerPodPools((namespace, name) -> DB, (name) -> null, Duration.ofMillis(100));

		assertThatThrownBy(() -> pools.poolOf("blue-team", "db"))
			.hasMessage("namespace blue-team of pod blue-team/db is not known to this agent after PT0.1S: its "
					+ "ipam.cilium.io/ip-pool annotation decides the pod's IP pool, so no address is given before "
					+ "it is seen");
	}

	@Test
	void aPodNeverSeenGetsNoGuessedPool() {
		InformerPodPools pools = new InformerPodPools((namespace, name) -> null, (name) -> BLUE_TEAM,
				Duration.ofMillis(100));

		assertThatThrownBy(() -> pools.poolOf("blue-team", "db"))
			.hasMessageStartingWith("pod blue-team/db is not known to this agent after PT0.1S");
	}

	@Test
	void aRuntimeThatNamesNoPodGetsTheDefaultPool() {
		InformerPodPools pools = new InformerPodPools((namespace, name) -> null, (name) -> null, Duration.ZERO);

		assertThat(pools.poolOf(null, null)).isEqualTo("default");
	}

}
