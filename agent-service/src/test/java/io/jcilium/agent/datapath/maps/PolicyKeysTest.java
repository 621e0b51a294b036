package io.jcilium.agent.datapath.maps;

import java.util.List;
import java.util.Map;

import io.jcilium.agent.datapath.maps.DatapathStructs.PolicyKey;
import io.jcilium.common.policy.engine.MapEntry;
import io.jcilium.common.policy.model.Direction;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Engine entries become policy map keys whose longest-prefix lookup gives the engine's
 * "deny wins" verdict.
 */
class PolicyKeysTest {

	private static Map<PolicyKey, Boolean> desired(List<MapEntry> entries, boolean ingressEnforced,
			boolean egressEnforced) {
		PolicyKeyState state = new PolicyKeyState();
		state.apply(entries, List.of(), ingressEnforced, egressEnforced);
		return state.desired();
	}

	@Test
	void portsProtocolsAndIcmpTypesBecomePrefixes() {
		assertThat(PolicyKeys.key(new MapEntry(300, Direction.INGRESS, 6, 8080, 16, false)))
			.isEqualTo(new PolicyKey(300, false, 6, 8080, 64));
		assertThat(PolicyKeys.key(new MapEntry(300, Direction.EGRESS, 6, 8080, 14, false)))
			.isEqualTo(new PolicyKey(300, true, 6, 8080, 62));
		assertThat(PolicyKeys.key(new MapEntry(0, Direction.INGRESS, 17, 0, 0, false)))
			.isEqualTo(new PolicyKey(0, false, 17, 0, 48));
		assertThat(PolicyKeys.key(new MapEntry(0, Direction.INGRESS, 0, 0, 0, true)))
			.isEqualTo(new PolicyKey(0, false, 0, 0, 40));
		assertThat(PolicyKeys.key(new MapEntry(7, Direction.INGRESS, 1, 8, 16, false)))
			.as("ICMP echo request: type in the high byte, any code")
			.isEqualTo(new PolicyKey(7, false, 1, 8 << 8, 56));
	}

	@Test
	void unenforcedDirectionsAllowEverything() {
		Map<PolicyKey, Boolean> keys = desired(List.of(), false, true);
		assertThat(keys).containsExactly(Map.entry(new PolicyKey(0, false, 0, 0, 40), false));
	}

	@Test
	void aNarrowAllowUnderABroaderDenyOfTheSameIdentityIsWrittenAsDeny() {
		MapEntry allowPort = new MapEntry(300, Direction.INGRESS, 6, 80, 16, false);
		MapEntry denyAll = new MapEntry(300, Direction.INGRESS, 0, 0, 0, true);
		MapEntry allowOther = new MapEntry(301, Direction.INGRESS, 6, 80, 16, false);
		MapEntry denyRange = new MapEntry(302, Direction.INGRESS, 6, 0, 8, true);
		MapEntry allowInRange = new MapEntry(302, Direction.INGRESS, 6, 80, 16, false);
		MapEntry allowOutsideRange = new MapEntry(302, Direction.INGRESS, 6, 443, 16, false);
		Map<PolicyKey, Boolean> keys = desired(
				List.of(allowPort, denyAll, allowOther, denyRange, allowInRange, allowOutsideRange), true, true);
		assertThat(keys).containsEntry(PolicyKeys.key(allowPort), true)
			.containsEntry(PolicyKeys.key(denyAll), true)
			.containsEntry(PolicyKeys.key(allowOther), false)
			.containsEntry(PolicyKeys.key(allowInRange), true)
			.containsEntry(PolicyKeys.key(allowOutsideRange), false)
			.hasSize(6);
	}

	@Test
	void addingAndRemovingADenyFlipsOnlyTheAllowsItCovers() {
		MapEntry allowPort = new MapEntry(300, Direction.INGRESS, 6, 80, 16, false);
		MapEntry allowOther = new MapEntry(301, Direction.INGRESS, 6, 80, 16, false);
		MapEntry denyAll = new MapEntry(300, Direction.INGRESS, 0, 0, 0, true);
		PolicyKeyState state = new PolicyKeyState();
		state.apply(List.of(allowPort, allowOther), List.of(), true, true);

		PolicyKeyState.Applied added = state.apply(List.of(denyAll), List.of(), true, true);
		assertThat(added.touched()).containsExactlyInAnyOrder(PolicyKeys.key(denyAll), PolicyKeys.key(allowPort));
		assertThat(state.verdict(PolicyKeys.key(allowPort))).isTrue();
		assertThat(state.verdict(PolicyKeys.key(allowOther))).isFalse();

		state.apply(List.of(), List.of(denyAll), true, true);
		assertThat(state.verdict(PolicyKeys.key(allowPort))).isFalse();
		assertThat(state.verdict(PolicyKeys.key(denyAll))).isNull();
	}

	@Test
	void aRevertedChangeLeavesTheKeysAsBefore() {
		MapEntry allowPort = new MapEntry(300, Direction.INGRESS, 6, 80, 16, false);
		MapEntry denyAll = new MapEntry(300, Direction.INGRESS, 0, 0, 0, true);
		PolicyKeyState state = new PolicyKeyState();
		state.apply(List.of(allowPort), List.of(), false, true);
		Map<PolicyKey, Boolean> before = state.desired();

		state.revert(state.apply(List.of(denyAll), List.of(allowPort), true, false));

		assertThat(state.desired()).isEqualTo(before);
	}

	@Test
	void anAllowAndADenyOfTheSameKeyDeny() {
		MapEntry allow = new MapEntry(300, Direction.EGRESS, 17, 53, 16, false);
		MapEntry deny = new MapEntry(300, Direction.EGRESS, 17, 53, 16, true);
		assertThat(desired(List.of(allow, deny), true, true)).containsExactly(Map.entry(PolicyKeys.key(deny), true));
	}

	@Test
	void aDenyOfAnotherProtocolOrPortDoesNotCover() {
		MapEntry allowTcp = new MapEntry(300, Direction.INGRESS, 6, 80, 16, false);
		MapEntry denyUdp = new MapEntry(300, Direction.INGRESS, 17, 0, 0, true);
		MapEntry denyTcp81 = new MapEntry(300, Direction.INGRESS, 6, 81, 16, true);
		assertThat(desired(List.of(allowTcp, denyUdp, denyTcp81), true, true)).containsEntry(PolicyKeys.key(allowTcp),
				false);
	}

}
