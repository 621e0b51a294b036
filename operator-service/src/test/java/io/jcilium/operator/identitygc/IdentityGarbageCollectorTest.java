package io.jcilium.operator.identitygc;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class IdentityGarbageCollectorTest {

	private final Registry registry = new Registry();

	private final IdentityGcMetrics metrics = new IdentityGcMetrics();

	private Instant now = Instant.parse("2026-01-01T00:00:00Z");

	private final IdentityGarbageCollector collector = new IdentityGarbageCollector(this.registry,
			Duration.ofMinutes(30), new Clock() {

				@Override
				public Instant instant() {
					return IdentityGarbageCollectorTest.this.now;
				}

				@Override
				public java.time.ZoneId getZone() {
					return ZoneOffset.UTC;
				}

				@Override
				public Clock withZone(java.time.ZoneId zone) {
					return this;
				}

			}, this.metrics);

	@Test
	void anIdentityUnusedForTwoPassesAfterTheGracePeriodIsReleasedOnEveryNode() {
		this.registry.add(1000, "node-a", "node-b");
		this.registry.add(1001, "node-a");
		assertThat(this.collector.collect(Set.of(1000L), List.of("node-a", "node-b"))).isEmpty();
		this.now = this.now.plus(Duration.ofMinutes(31));
		assertThat(this.collector.collect(Set.of(1000L), List.of("node-a", "node-b"))).containsExactly(1001L);
		assertThat(this.registry.references).containsOnlyKeys(1000L);
		assertThat(this.metrics.releasedTotal()).isEqualTo(1);
	}

	@Test
	void aJustAllocatedIdentityWhoseEndpointIsNotWrittenYetSurvives() {
		this.registry.add(1001, "node-a");
		this.collector.collect(Set.of(), List.of("node-a"));
		this.now = this.now.plus(Duration.ofMinutes(10));
		assertThat(this.collector.collect(Set.of(), List.of("node-a"))).isEmpty();
		this.now = this.now.plus(Duration.ofMinutes(25));
		assertThat(this.collector.collect(Set.of(), List.of("node-a"))).containsExactly(1001L);
	}

	@Test
	void anIdentityUsedAgainBetweenPassesIsNotReleased() {
		this.registry.add(1001, "node-a");
		this.now = this.now.plus(Duration.ofHours(1));
		this.collector.collect(Set.of(), List.of("node-a"));
		this.collector.collect(Set.of(1001L), List.of("node-a"));
		assertThat(this.collector.collect(Set.of(), List.of("node-a"))).isEmpty();
		assertThat(this.registry.references).containsKey(1001L);
	}

	@Test
	void withIdentityServiceDownThePassFailsReleasesNothingAndTheNextPassCatchesUp() {
		this.registry.add(1001, "node-a");
		this.collector.collect(Set.of(), List.of("node-a"));
		this.now = this.now.plus(Duration.ofHours(1));
		this.registry.down = true;
		assertThatExceptionOfType(IdentityGcException.class)
			.isThrownBy(() -> this.collector.collect(Set.of(), List.of("node-a")))
			.withMessageContaining("identity-service did not list its identities")
			.withMessageContaining("nothing was released");
		assertThat(this.metrics.failedPasses()).isEqualTo(1);
		assertThat(this.registry.references).containsKey(1001L);
		this.registry.down = false;
		assertThat(this.collector.collect(Set.of(), List.of("node-a"))).containsExactly(1001L);
	}

	/** identity-service's rules in memory: references per node, freed with the last. */
	static final class Registry implements IdentityRegistry {

		final Map<Long, Set<String>> references = new HashMap<>();

		boolean down;

		void add(long id, String... nodes) {
			this.references.put(id, new HashSet<>(List.of(nodes)));
		}

		@Override
		public Set<Long> allocated() {
			if (this.down) {
				throw new IllegalStateException("UNAVAILABLE: io exception");
			}
			return Set.copyOf(this.references.keySet());
		}

		@Override
		public boolean release(long id, String node) {
			Set<String> holders = this.references.get(id);
			if (holders == null) {
				return false;
			}
			holders.remove(node);
			if (holders.isEmpty()) {
				this.references.remove(id);
			}
			return true;
		}

	}

}
