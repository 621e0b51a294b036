package io.jcilium.agent.service.lb;

import java.util.Arrays;
import java.util.List;

import io.jcilium.common.net.Protocol;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The programmer keeps a Maglev table for each external frontend (and only those) when
 * Maglev is on: written before the master that counts the backends, rewritten when the
 * backends change, deleted with the frontend.
 */
class MaglevTablesTest {

	private static final ServiceName WEB = new ServiceName("default", "web");

	private static final L4Address LB_IP = L4Address.of("192.0.2.10", 80, Protocol.TCP);

	private static final L4Address CLUSTER_IP = L4Address.of("10.96.0.10", 80, Protocol.TCP);

	private final InMemoryLbMaps maps = new InMemoryLbMaps();

	private final LbProgrammer programmer = new LbProgrammer(this.maps, 251);

	@Test
	void anExternalFrontendGetsATableOfItsBackendsBeforeItsMaster() {
		this.programmer.apply(WEB, List.of(frontend(LB_IP, FrontendKind.LOAD_BALANCER, MaglevTest.backends(3)),
				frontend(CLUSTER_IP, FrontendKind.CLUSTER_IP, MaglevTest.backends(3))));
		int reverseNat = reverseNatOf(LB_IP);
		assertThat(this.maps.maglevTables).containsOnlyKeys(reverseNat);
		assertThat(Arrays.stream(this.maps.maglevTables.get(reverseNat)).mapToObj(this.maps.backends::get).toList())
			.isEqualTo(Maglev.table(MaglevTest.backends(3), 251));
		assertThat(this.maps.log.indexOf("maglev+ " + reverseNat))
			.isLessThan(indexOfPrefix("master+ " + new FrontendKey(LB_IP, Scope.EXTERNAL)));
	}

	@Test
	void theTableFollowsTheBackendsAndGoesWithTheFrontend() {
		this.programmer.apply(WEB, List.of(frontend(LB_IP, FrontendKind.NODE_PORT, MaglevTest.backends(3))));
		int reverseNat = reverseNatOf(LB_IP);
		this.programmer.apply(WEB, List.of(frontend(LB_IP, FrontendKind.NODE_PORT, MaglevTest.backends(2))));
		assertThat(Arrays.stream(this.maps.maglevTables.get(reverseNat)).mapToObj(this.maps.backends::get))
			.hasSameElementsAs(MaglevTest.backends(2));
		this.programmer.apply(WEB, List.of(frontend(LB_IP, FrontendKind.NODE_PORT, List.of())));
		assertThat(this.maps.maglevTables).isEmpty();
		this.programmer.apply(WEB, List.of(frontend(LB_IP, FrontendKind.NODE_PORT, MaglevTest.backends(1))));
		this.programmer.remove(WEB);
		assertThat(this.maps.maglevTables).isEmpty();
	}

	@Test
	void withRandomSelectionNoTableIsWritten() {
		InMemoryLbMaps random = new InMemoryLbMaps();
		new LbProgrammer(random).apply(WEB,
				List.of(frontend(LB_IP, FrontendKind.LOAD_BALANCER, MaglevTest.backends(3))));
		assertThat(random.maglevTables).isEmpty();
	}

	private int reverseNatOf(L4Address frontend) {
		return this.maps.reverseNat.entrySet()
			.stream()
			.filter((e) -> e.getValue().equals(frontend))
			.findFirst()
			.orElseThrow()
			.getKey();
	}

	private int indexOfPrefix(String prefix) {
		for (int i = 0; i < this.maps.log.size(); i++) {
			if (this.maps.log.get(i).startsWith(prefix)) {
				return i;
			}
		}
		throw new AssertionError("no " + prefix + " in " + this.maps.log);
	}

	private static LbFrontend frontend(L4Address address, FrontendKind kind, List<L4Address> backends) {
		return new LbFrontend(new FrontendKey(address, Scope.EXTERNAL), kind, kind.flag(), 0, backends);
	}

}
