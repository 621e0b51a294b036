package io.jcilium.agent.service.lb;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import io.jcilium.common.net.Protocol;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A restarted agent's programmer takes over the LB maps its predecessor left: nothing is
 * deleted or rewritten before the services are synced, a service claiming a restored
 * frontend gets only the difference written, and once synced whatever no service claimed
 * is removed, down to the backends only it used.
 */
class LbProgrammerRestoreTest {

	private static final ServiceName WEB = new ServiceName("default", "web");

	private static final ServiceName DNS = new ServiceName("kube-system", "dns");

	private static final FrontendKey WEB_VIP = key("10.96.0.10", 80, Protocol.TCP);

	private static final FrontendKey DNS_VIP = key("10.96.0.53", 53, Protocol.UDP);

	private final InMemoryLbMaps maps = new InMemoryLbMaps();

	@Test
	void theMapsAreKeptUntilTheServicesAreSyncedAndAnUnchangedServiceWritesNothing() {
		LbProgrammer before = new LbProgrammer(this.maps);
		before.apply(WEB, List.of(clusterIp(WEB_VIP, pods(3, 8080))));
		before.apply(DNS, List.of(clusterIp(DNS_VIP, List.of(L4Address.of("10.0.2.1", 53, Protocol.UDP)))));
		Map<Integer, L4Address> backends = Map.copyOf(this.maps.backends);
		this.maps.log.clear();

		LbProgrammer after = new LbProgrammer(this.maps);
		after.restore();
		assertThat(this.maps.log).isEmpty();
		assertThat(after.restoreStatus()).isEqualTo(new LbProgrammer.RestoreStatus(false, 2));
		after.apply(WEB, List.of(clusterIp(WEB_VIP, pods(3, 8080))));
		assertThat(this.maps.log).as("the same service over the same entries").isEmpty();
		assertThat(after.programmed()).singleElement()
			.satisfies((programmed) -> assertThat(programmed.backendIds()).containsExactly(
					idOf(backends, pods(3, 8080).get(0)), idOf(backends, pods(3, 8080).get(1)),
					idOf(backends, pods(3, 8080).get(2))));

		// dns was deleted while no agent ran
		assertThat(after.finishRestore()).isOne();
		assertThat(this.maps.masters).containsOnlyKeys(WEB_VIP);
		assertThat(this.maps.backends.values()).containsExactlyInAnyOrderElementsOf(pods(3, 8080));
		assertThat(this.maps.reverseNat.values()).containsExactly(WEB_VIP.address());
		assertThat(this.maps.log).first().asString().isEqualTo("master- " + DNS_VIP);
		assertThat(after.serviceEntries()).isEqualTo(this.maps.serviceEntries()).isEqualTo(4);
		assertThat(after.restoreStatus()).isEqualTo(new LbProgrammer.RestoreStatus(true, 0));
	}

	@Test
	void aServiceTakingOverARestoredFrontendGetsOnlyTheDifferenceWritten() {
		new LbProgrammer(this.maps).apply(WEB, List.of(clusterIp(WEB_VIP, pods(3, 8080))));
		this.maps.log.clear();

		LbProgrammer after = new LbProgrammer(this.maps);
		List<L4Address> changed = List.of(pods(3, 8080).get(0), pods(3, 8080).get(1),
				L4Address.of("10.0.1.9", 8080, Protocol.TCP));
		after.apply(WEB, List.of(clusterIp(WEB_VIP, changed)));
		// pod 3's id (3) is still taken until its slot is rewritten: the new one gets 4
		assertThat(this.maps.log).containsExactly("backend+ 4 10.0.1.9:8080/TCP", "slot+ " + WEB_VIP + " 3=4",
				"backend- 3");
		assertThat(this.maps.backendsOf(WEB_VIP)).containsExactlyElementsOf(changed);
		after.finishRestore();
		assertThat(this.maps.backendsOf(WEB_VIP)).containsExactlyElementsOf(changed);
		assertThat(this.maps.backends).hasSize(3);
		assertThat(after.serviceEntries()).isEqualTo(this.maps.serviceEntries());
	}

	@Test
	void aShrunkServiceLosesItsRestoredSlotsAfterTheMasterCountsFewer() {
		new LbProgrammer(this.maps).apply(WEB, List.of(clusterIp(WEB_VIP, pods(3, 8080))));
		this.maps.log.clear();

		LbProgrammer after = new LbProgrammer(this.maps);
		after.apply(WEB, List.of(clusterIp(WEB_VIP, pods(1, 8080))));
		assertThat(this.maps.log).containsExactly("master+ " + WEB_VIP + " count=1", "slot- " + WEB_VIP + " 2",
				"slot- " + WEB_VIP + " 3", "backend- 2", "backend- 3");
		assertThat(after.serviceEntries()).isEqualTo(this.maps.serviceEntries()).isEqualTo(2);
	}

	@Test
	void newIdsNeverReuseOnesTheMapsStillHold() {
		LbProgrammer before = new LbProgrammer(this.maps);
		before.apply(WEB, List.of(clusterIp(WEB_VIP, pods(3, 8080))));

		LbProgrammer after = new LbProgrammer(this.maps);
		after.apply(DNS, List.of(clusterIp(DNS_VIP, List.of(L4Address.of("10.0.2.1", 53, Protocol.UDP)))));
		assertThat(this.maps.backends).containsEntry(4, L4Address.of("10.0.2.1", 53, Protocol.UDP))
			.containsEntry(1, pods(3, 8080).get(0));
		assertThat(this.maps.reverseNat).containsEntry(2, DNS_VIP.address()).containsEntry(1, WEB_VIP.address());
		assertThat(this.maps.backendsOf(WEB_VIP)).containsExactlyElementsOf(pods(3, 8080));
	}

	@Test
	void strayEntriesAreServedUntilSyncedThenRemoved() {
		LbProgrammer before = new LbProgrammer(this.maps);
		before.apply(WEB, List.of(clusterIp(WEB_VIP, pods(2, 8080))));
		// left by a crash: a slot beyond the count, a backend no slot names, a slot
		// without a master, a master whose rev NAT entry is missing
		this.maps.slots.get(WEB_VIP).put(5, 1);
		this.maps.backends.put(40, L4Address.of("10.0.9.9", 80, Protocol.TCP));
		FrontendKey orphan = key("10.96.0.99", 80, Protocol.TCP);
		this.maps.slots.put(orphan, new java.util.HashMap<>(Map.of(1, 2)));
		FrontendKey broken = key("10.96.0.98", 80, Protocol.TCP);
		this.maps.slots.put(broken, new java.util.HashMap<>(Map.of(1, 1)));
		this.maps.masters.put(broken, new LbMaps.Master(1, 77, FrontendKind.CLUSTER_IP.flag(), 0));
		this.maps.log.clear();

		LbProgrammer after = new LbProgrammer(this.maps);
		after.restore();
		assertThat(after.restoreStatus().restoredFrontends()).as("only whole frontends").isOne();
		assertThat(this.maps.log).isEmpty();
		after.apply(WEB, List.of(clusterIp(WEB_VIP, pods(2, 8080))));
		after.finishRestore();
		assertThat(this.maps.masters).containsOnlyKeys(WEB_VIP);
		assertThat(this.maps.slots).containsOnlyKeys(WEB_VIP);
		assertThat(this.maps.slots.get(WEB_VIP)).containsOnlyKeys(1, 2);
		assertThat(this.maps.backends.values()).containsExactlyInAnyOrderElementsOf(pods(2, 8080));
		assertThat(after.serviceEntries()).isEqualTo(this.maps.serviceEntries()).isEqualTo(3);
	}

	@Test
	void aServiceReclaimingABrokenFrontendIsWrittenWhole() {
		FrontendKey broken = key("10.96.0.98", 80, Protocol.TCP);
		this.maps.backends.put(1, pods(1, 8080).get(0));
		this.maps.slots.put(broken, new java.util.HashMap<>(Map.of(1, 1)));
		this.maps.masters.put(broken, new LbMaps.Master(1, 77, FrontendKind.CLUSTER_IP.flag(), 0));

		LbProgrammer after = new LbProgrammer(this.maps);
		after.apply(WEB, List.of(clusterIp(broken, pods(2, 8080))));
		after.finishRestore();
		assertThat(this.maps.backendsOf(broken)).containsExactlyElementsOf(pods(2, 8080));
		assertThat(this.maps.reverseNat).containsOnlyKeys(this.maps.masters.get(broken).reverseNat());
		assertThat(after.serviceEntries()).isEqualTo(this.maps.serviceEntries()).isEqualTo(3);
	}

	@Test
	void aFullMapRestoredIsNotRefusedWhenTheSameServiceIsAppliedAgain() {
		InMemoryLbMaps small = new InMemoryLbMaps(new LbMaps.Capacity(4, 3, 1));
		new LbProgrammer(small).apply(WEB, List.of(clusterIp(WEB_VIP, pods(3, 8080))));

		LbProgrammer after = new LbProgrammer(small);
		after.apply(WEB, List.of(clusterIp(WEB_VIP, pods(3, 8080))));
		after.finishRestore();
		assertThat(small.backendsOf(WEB_VIP)).containsExactlyElementsOf(pods(3, 8080));
		assertThat(after.serviceEntries()).isEqualTo(4);
	}

	@Test
	void aServiceThatNoLongerFitsKeepsItsRestoredFrontendUntilItIsProgrammed() {
		InMemoryLbMaps small = new InMemoryLbMaps(new LbMaps.Capacity(6, 8, 4));
		LbProgrammer before = new LbProgrammer(small);
		before.apply(WEB, List.of(clusterIp(WEB_VIP, pods(3, 8080))));
		before.apply(DNS, List.of(clusterIp(DNS_VIP, List.of(L4Address.of("10.0.2.1", 53, Protocol.UDP)))));

		// while no agent ran web grew to 4 backends: 5 + 2 entries, the map has 6
		LbProgrammer after = new LbProgrammer(small);
		assertThatExceptionOfType(LbMapFullException.class)
			.isThrownBy(() -> after.apply(WEB, List.of(clusterIp(WEB_VIP, pods(4, 8080)))));
		after.apply(DNS, List.of(clusterIp(DNS_VIP, List.of(L4Address.of("10.0.2.1", 53, Protocol.UDP)))));
		assertThat(after.finishRestore()).as("restored frontends removed").isZero();
		assertThat(small.backendsOf(WEB_VIP)).as("web as before the restart").containsExactlyElementsOf(pods(3, 8080));
		assertThat(small.reverseNat.values()).containsExactlyInAnyOrder(WEB_VIP.address(), DNS_VIP.address());
		assertThat(after.serviceEntries()).isEqualTo(small.serviceEntries()).isEqualTo(6);
		assertThat(after.restoreStatus()).isEqualTo(new LbProgrammer.RestoreStatus(true, 1));

		// dns deleted: room for web at last
		after.remove(DNS);
		after.apply(WEB, List.of(clusterIp(WEB_VIP, pods(4, 8080))));
		assertThat(small.masters).containsOnlyKeys(WEB_VIP);
		assertThat(small.backendsOf(WEB_VIP)).containsExactlyElementsOf(pods(4, 8080));
		assertThat(small.backends.values()).containsExactlyInAnyOrderElementsOf(pods(4, 8080));
		assertThat(after.serviceEntries()).isEqualTo(small.serviceEntries()).isEqualTo(5);
		assertThat(after.restoreStatus()).isEqualTo(new LbProgrammer.RestoreStatus(true, 0));
	}

	@Test
	void aRefusedServiceDeletedAfterTheSyncLosesItsRestoredFrontend() {
		InMemoryLbMaps small = new InMemoryLbMaps(new LbMaps.Capacity(4, 8, 4));
		new LbProgrammer(small).apply(WEB, List.of(clusterIp(WEB_VIP, pods(3, 8080))));

		LbProgrammer after = new LbProgrammer(small);
		assertThatExceptionOfType(LbMapFullException.class)
			.isThrownBy(() -> after.apply(WEB, List.of(clusterIp(WEB_VIP, pods(4, 8080)))));
		after.finishRestore();
		assertThat(small.backendsOf(WEB_VIP)).containsExactlyElementsOf(pods(3, 8080));

		after.remove(WEB);
		assertThat(small.masters).isEmpty();
		assertThat(small.slots).isEmpty();
		assertThat(small.backends).isEmpty();
		assertThat(small.reverseNat).isEmpty();
		assertThat(after.serviceEntries()).isZero();
		assertThat(after.restoreStatus()).isEqualTo(new LbProgrammer.RestoreStatus(true, 0));
	}

	@Test
	void anAffinityMatchAndAMaglevTableNoServiceWantsAreRemoved() {
		LbProgrammer before = new LbProgrammer(this.maps, 251);
		LbFrontend nodePort = new LbFrontend(key("192.168.56.11", 30080, Protocol.TCP), FrontendKind.NODE_PORT,
				FrontendKind.NODE_PORT.flag() | FrontendKind.AFFINITY, 60, pods(2, 8080));
		before.apply(WEB, List.of(nodePort));
		assertThat(this.maps.maglevTables).hasSize(1);
		assertThat(this.maps.affinityMatches).hasSize(2);

		LbProgrammer after = new LbProgrammer(this.maps, 251);
		after.restore();
		after.finishRestore();
		assertThat(this.maps.maglevTables).isEmpty();
		assertThat(this.maps.affinityMatches).isEmpty();
		assertThat(this.maps.masters).isEmpty();
		assertThat(this.maps.slots).isEmpty();
		assertThat(this.maps.backends).isEmpty();
		assertThat(this.maps.reverseNat).isEmpty();
		assertThat(after.serviceEntries()).isZero();
	}

	@Test
	void aFrontendRestoredWithoutTheMaglevTableItNeedsGetsItWhenClaimed() {
		LbFrontend nodePort = new LbFrontend(key("192.168.56.11", 30080, Protocol.TCP), FrontendKind.NODE_PORT,
				FrontendKind.NODE_PORT.flag(), 0, pods(2, 8080));
		new LbProgrammer(this.maps).apply(WEB, List.of(nodePort));
		assertThat(this.maps.maglevTables).isEmpty();

		// Maglev turned on across the restart
		LbProgrammer after = new LbProgrammer(this.maps, 251);
		after.restore();
		assertThat(this.maps.masters).containsKey(nodePort.key());
		after.apply(WEB, List.of(nodePort));
		after.finishRestore();
		assertThat(this.maps.maglevTables).containsOnlyKeys(this.maps.masters.get(nodePort.key()).reverseNat());
		assertThat(this.maps.backendsOf(nodePort.key())).containsExactlyElementsOf(pods(2, 8080));
		assertThat(after.serviceEntries()).isEqualTo(this.maps.serviceEntries()).isEqualTo(3);
	}

	private static int idOf(Map<Integer, L4Address> backends, L4Address backend) {
		return backends.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().equals(backend))
			.findFirst()
			.orElseThrow()
			.getKey();
	}

	private static FrontendKey key(String address, int port, Protocol protocol) {
		return new FrontendKey(L4Address.of(address, port, protocol), Scope.EXTERNAL);
	}

	private static LbFrontend clusterIp(FrontendKey key, List<L4Address> backends) {
		return new LbFrontend(key, FrontendKind.CLUSTER_IP, FrontendKind.CLUSTER_IP.flag(), 0, backends);
	}

	private static List<L4Address> pods(int count, int port) {
		return IntStream.rangeClosed(1, count)
			.mapToObj((i) -> L4Address.of("10.0.1." + i, port, Protocol.TCP))
			.toList();
	}

}
