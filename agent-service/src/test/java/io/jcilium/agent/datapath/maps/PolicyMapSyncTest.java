package io.jcilium.agent.datapath.maps;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.jcilium.agent.datapath.maps.DatapathStructs.PolicyKey;
import io.jcilium.common.policy.engine.MapEntry;
import io.jcilium.common.policy.model.Direction;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A policy change reaches the map by differences, adds before removes, and completely or
 * not at all.
 */
class PolicyMapSyncTest {

	private static final PolicyKey INGRESS_ALLOW_ALL = PolicyKeys.allowAll(false);

	private static final PolicyKey EGRESS_ALLOW_ALL = PolicyKeys.allowAll(true);

	private static final MapEntry ALLOW_CLIENT_8080 = new MapEntry(1001, Direction.INGRESS, 6, 8080, 16, false);

	private final InMemoryPolicyKeyStore store = new InMemoryPolicyKeyStore(16_384);

	private final PolicyMapSync sync = new PolicyMapSync(this.store, "the policy map of endpoint 1");

	@Test
	void anEndpointWithoutPolicyAllowsEverything() {
		this.sync.replace(List.of(), false, false);
		assertThat(this.store.keys).containsOnlyKeys(INGRESS_ALLOW_ALL, EGRESS_ALLOW_ALL);
	}

	@Test
	void aChangeWritesOnlyItsKeysAddingBeforeRemovingAndTellsTheProgramOnce() {
		this.sync.replace(List.of(), false, false);
		this.store.operations.clear();
		int commits = this.store.commits;

		int writes = this.sync.apply(List.of(ALLOW_CLIENT_8080), List.of(), true, false);

		assertThat(writes).isEqualTo(2);
		assertThat(this.store.operations).containsExactly("+" + PolicyKeys.key(ALLOW_CLIENT_8080),
				"-" + INGRESS_ALLOW_ALL);
		assertThat(this.store.keys).containsEntry(PolicyKeys.key(ALLOW_CLIENT_8080), false)
			.containsEntry(EGRESS_ALLOW_ALL, false)
			.doesNotContainKey(INGRESS_ALLOW_ALL);
		assertThat(this.store.commits).isEqualTo(commits + 1);
	}

	@Test
	void aMapThatAlreadyHoldsThePolicyIsNotWritten() {
		this.sync.replace(List.of(ALLOW_CLIENT_8080), true, false);
		this.store.operations.clear();

		// a restarted agent: a new writer over the pinned map
		PolicyMapSync restarted = new PolicyMapSync(this.store, "the policy map of endpoint 1");
		assertThat(restarted.replace(List.of(ALLOW_CLIENT_8080), true, false)).isZero();
		assertThat(this.store.operations).isEmpty();
	}

	@Test
	void aWriteFailingHalfwayIsRolledBackSoThePreviousPolicyStaysFullyInForce() {
		List<MapEntry> before = entries(1001, 8080, 8089);
		this.sync.replace(before, true, true);
		Map<PolicyKey, Boolean> inForce = Map.copyOf(this.store.keys);
		// the new policy allows other ports and revokes the old ones: 10 adds, 10 deletes
		this.store.failAfter(14);

		assertThatExceptionOfType(PolicyMapWriteException.class)
			.isThrownBy(() -> this.sync.apply(entries(1001, 9080, 9089), before, true, true))
			.withMessageContaining("failed after 14")
			.withMessageContaining("rolled back, the previous policy stays in force");

		assertThat(this.store.keys).isEqualTo(inForce);
		// and the writer still knows the map: the same change goes through on retry
		this.sync.apply(entries(1001, 9080, 9089), before, true, true);
		assertThat(this.store.keys).containsOnlyKeys(entries(1001, 9080, 9089).stream().map(PolicyKeys::key).toList());
	}

	@Test
	void aChangeThatDoesNotFitIsRefusedBeforeAnythingIsWritten() {
		InMemoryPolicyKeyStore small = new InMemoryPolicyKeyStore(12);
		PolicyMapSync sync = new PolicyMapSync(small, "the policy map of endpoint 7");
		List<MapEntry> before = entries(1001, 8080, 8089);
		sync.replace(before, true, true);
		small.operations.clear();

		// adds go in before removes, so the map must hold both sets for a moment
		assertThatExceptionOfType(PolicyMapWriteException.class)
			.isThrownBy(() -> sync.apply(entries(1001, 9080, 9089), before, true, true))
			.withMessageContaining("the policy map of endpoint 7 holds 10 of 12 keys and the change needs 10 more")
			.withMessageContaining("refused before writing");
		assertThat(small.operations).isEmpty();
	}

	private static List<MapEntry> entries(long peer, int first, int last) {
		List<MapEntry> entries = new ArrayList<>();
		for (int port = first; port <= last; port++) {
			entries.add(new MapEntry(peer, Direction.INGRESS, 6, port, 16, false));
		}
		return entries;
	}

}
