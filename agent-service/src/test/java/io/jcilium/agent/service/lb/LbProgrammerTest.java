package io.jcilium.agent.service.lb;

import java.util.List;
import java.util.stream.IntStream;

import io.jcilium.common.net.Protocol;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LbProgrammerTest {

	private static final ServiceName WEB = new ServiceName("default", "web");

	private static final ServiceName DNS = new ServiceName("kube-system", "dns");

	private static final FrontendKey WEB_VIP = key("10.96.0.10", 80, Protocol.TCP);

	private static final FrontendKey DNS_VIP = key("10.96.0.53", 53, Protocol.UDP);

	private final InMemoryLbMaps maps = new InMemoryLbMaps();

	private final LbProgrammer programmer = new LbProgrammer(this.maps);

	@Test
	void aNewServiceWritesBackendsAndReverseNatBeforeSlotsAndTheMasterLast() {
		this.programmer.apply(WEB, List.of(clusterIp(WEB_VIP, pods(2, 8080))));
		assertThat(this.maps.log).first().asString().startsWith("backend+");
		assertThat(this.maps.log).last().asString().startsWith("master+ " + WEB_VIP);
		assertThat(this.maps.backendsOf(WEB_VIP)).containsExactlyElementsOf(pods(2, 8080));
		assertThat(this.maps.reverseNat).containsValue(WEB_VIP.address());
		assertThat(this.programmer.serviceEntries()).isEqualTo(3).isEqualTo(this.maps.serviceEntries());
	}

	@Test
	void scaleOutWritesOnlyTheNewSlotsAndTheMaster() {
		this.programmer.apply(WEB, List.of(clusterIp(WEB_VIP, pods(2, 8080))));
		this.maps.log.clear();
		this.programmer.apply(WEB, List.of(clusterIp(WEB_VIP, pods(3, 8080))));
		assertThat(this.maps.log).containsExactly("backend+ 3 10.0.1.3:8080/TCP", "slot+ " + WEB_VIP + " 3=3",
				"master+ " + WEB_VIP + " count=3");
	}

	@Test
	void scaleInShrinksTheMasterBeforeDeletingSlotsAndBackendsLast() {
		this.programmer.apply(WEB, List.of(clusterIp(WEB_VIP, pods(3, 8080))));
		this.maps.log.clear();
		this.programmer.apply(WEB, List.of(clusterIp(WEB_VIP, pods(1, 8080))));
		assertThat(this.maps.log).containsExactly("master+ " + WEB_VIP + " count=1", "slot- " + WEB_VIP + " 2",
				"slot- " + WEB_VIP + " 3", "backend- 2", "backend- 3");
		assertThat(this.maps.backends).hasSize(1);
	}

	@Test
	void aChangeToOneServiceNeverTouchesAnotherServicesEntries() {
		this.programmer.apply(DNS, List.of(clusterIp(DNS_VIP, List.of(L4Address.of("10.0.2.1", 53, Protocol.UDP)))));
		this.programmer.apply(WEB, List.of(clusterIp(WEB_VIP, pods(2, 8080))));
		this.maps.log.clear();
		this.programmer.apply(WEB, List.of(clusterIp(WEB_VIP, pods(4, 8080))));
		this.programmer.remove(WEB);
		assertThat(this.maps.log).noneMatch((op) -> op.contains(DNS_VIP.toString()) || op.contains("10.0.2.1"));
		assertThat(this.maps.backendsOf(DNS_VIP)).containsExactly(L4Address.of("10.0.2.1", 53, Protocol.UDP));
	}

	@Test
	void removingAServiceLeavesNothingBehind() {
		this.programmer.apply(WEB,
				List.of(clusterIp(WEB_VIP, pods(3, 8080)), clusterIp(key("fd00:96::10", 80, Protocol.TCP),
						List.of(L4Address.of("fd00:1::1", 8080, Protocol.TCP)))));
		this.programmer.remove(WEB);
		assertThat(this.maps.masters).isEmpty();
		assertThat(this.maps.slots).isEmpty();
		assertThat(this.maps.backends).isEmpty();
		assertThat(this.maps.reverseNat).isEmpty();
		assertThat(this.programmer.serviceEntries()).isZero();
		assertThat(this.programmer.services()).isEmpty();
	}

	@Test
	void aBackendSharedByTwoServicesStaysUntilTheLastOneGoes() {
		List<L4Address> shared = pods(1, 8080);
		this.programmer.apply(WEB, List.of(clusterIp(WEB_VIP, shared)));
		this.programmer.apply(DNS, List.of(clusterIp(key("10.96.0.11", 80, Protocol.TCP), shared)));
		this.programmer.remove(WEB);
		assertThat(this.maps.backends).containsValue(shared.get(0));
		this.programmer.remove(DNS);
		assertThat(this.maps.backends).isEmpty();
	}

	@Test
	void aServiceWithoutBackendsKeepsAMasterCountingZero() {
		this.programmer.apply(WEB, List.of(clusterIp(WEB_VIP, pods(2, 8080))));
		this.programmer.apply(WEB, List.of(clusterIp(WEB_VIP, List.of())));
		assertThat(this.maps.masters.get(WEB_VIP).count()).isZero();
		assertThat(this.maps.backends).isEmpty();
	}

	@Test
	void affinityMatchesFollowTheBackends() {
		LbFrontend sticky = new LbFrontend(WEB_VIP, FrontendKind.CLUSTER_IP,
				FrontendKind.CLUSTER_IP.flag() | FrontendKind.AFFINITY, 30, pods(2, 8080));
		this.programmer.apply(WEB, List.of(sticky));
		assertThat(this.maps.affinityMatches).hasSize(2);
		assertThat(this.maps.masters.get(WEB_VIP).affinityTimeoutSeconds()).isEqualTo(30);
		this.programmer.apply(WEB, List.of(new LbFrontend(WEB_VIP, FrontendKind.CLUSTER_IP,
				FrontendKind.CLUSTER_IP.flag() | FrontendKind.AFFINITY, 30, pods(1, 8080))));
		assertThat(this.maps.affinityMatches).hasSize(1);
	}

	@Test
	void aChangeThatDoesNotFitIsRefusedBeforeAnythingIsWritten() {
		InMemoryLbMaps small = new InMemoryLbMaps(new LbMaps.Capacity(5, 100, 100));
		LbProgrammer tight = new LbProgrammer(small);
		tight.apply(WEB, List.of(clusterIp(WEB_VIP, pods(2, 8080))));
		small.log.clear();
		assertThatThrownBy(() -> tight.apply(DNS, List.of(clusterIp(DNS_VIP, pods(3, 53)))))
			.isInstanceOf(LbMapFullException.class)
			.hasMessageContaining("kube-system/dns needs 4 more service map entries but only 2 of 5 are free")
			.hasMessageContaining("jcilium.service.service-map-size");
		assertThat(small.log).isEmpty();
		assertThat(tight.services()).containsExactly(WEB);
	}

	@Test
	void aFrontendOwnedByAnotherServiceIsNotTakenOver() {
		this.programmer.apply(WEB, List.of(clusterIp(WEB_VIP, pods(2, 8080))));
		this.programmer.apply(DNS, List.of(clusterIp(WEB_VIP, pods(1, 9090))));
		assertThat(this.maps.backendsOf(WEB_VIP)).containsExactlyElementsOf(pods(2, 8080));
		assertThat(this.programmer.frontends(DNS)).isEmpty();
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
