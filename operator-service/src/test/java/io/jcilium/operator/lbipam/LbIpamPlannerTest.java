package io.jcilium.operator.lbipam;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.jcilium.common.selector.LabelSelector;
import io.jcilium.operator.lbipam.LbIpamPlan.ServiceResult;
import io.jcilium.operator.lbipam.LbPool.Block;
import io.jcilium.operator.lbipam.LbService.Family;
import io.jcilium.operator.lbipam.LbService.Port;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LbIpamPlannerTest {

	private final LbIpamPlanner planner = new LbIpamPlanner();

	private static LbPool pool(String name, long order, Block... blocks) {
		return new LbPool(name, order, List.of(blocks), null, false, false);
	}

	private static LbService service(String name, long order) {
		return new LbService("default", name, order, Map.of(), Set.of(Family.IPV4), false, List.of(), null, Set.of(),
				List.of(new Port(80, "TCP")), List.of());
	}

	private static LbService requesting(String name, long order, String... ips) {
		LbService s = service(name, order);
		return new LbService(s.namespace(), s.name(), order, s.labels(), s.families(), s.preferDualStack(),
				List.of(ips), null, Set.of(), s.ports(), List.of());
	}

	private static LbService sharing(String namespace, String name, long order, String key, int port,
			Set<String> crossNamespaces) {
		return new LbService(namespace, name, order, Map.of(), Set.of(Family.IPV4), false, List.of(), key,
				crossNamespaces, List.of(new Port(port, "TCP")), List.of());
	}

	private static LbService holding(LbService s, String... current) {
		return new LbService(s.namespace(), s.name(), s.creationOrder(), s.labels(), s.families(), s.preferDualStack(),
				s.requestedIps(), s.sharingKey(), s.sharingNamespaces(), s.ports(), List.of(current));
	}

	private ServiceResult only(LbIpamPlan plan, String name) {
		return plan.services().get("default/" + name);
	}

	@Test
	void cidrBlockSkipsNetworkAndBroadcastAddressesAndReportsExhaustion() {
		LbIpamPlan plan = this.planner.plan(List.of(pool("p", 1, Block.cidr("10.0.0.0/30"))),
				List.of(service("a", 1), service("b", 2), service("c", 3)));
		assertThat(only(plan, "a").ips()).containsExactly("10.0.0.1");
		assertThat(only(plan, "b").ips()).containsExactly("10.0.0.2");
		assertThat(only(plan, "c").ips()).isEmpty();
		assertThat(only(plan, "c").condition().reason()).isEqualTo("out_of_ips");
		assertThat(only(plan, "c").condition().status()).isEqualTo("False");
	}

	@Test
	void allowFirstLastIpsHandsOutTheWholeCidr() {
		LbPool pool = new LbPool("p", 1, List.of(Block.cidr("10.0.0.0/31")), null, true, false);
		LbPool wide = new LbPool("w", 2, List.of(Block.cidr("10.0.1.0/30")), null, true, false);
		LbIpamPlan plan = this.planner.plan(List.of(pool, wide),
				List.of(service("a", 1), service("b", 2), service("c", 3)));
		assertThat(only(plan, "a").ips()).containsExactly("10.0.0.0");
		assertThat(only(plan, "b").ips()).containsExactly("10.0.0.1");
		assertThat(only(plan, "c").ips()).containsExactly("10.0.1.0");
	}

	@Test
	void hostAndPointToPointCidrsKeepAllAddressesEvenWithoutAllowFirstLast() {
		LbIpamPlan plan = this.planner.plan(
				List.of(pool("one", 1, Block.cidr("192.0.2.7/32")), pool("two", 2, Block.cidr("192.0.2.8/31"))),
				List.of(service("a", 1), service("b", 2), service("c", 3)));
		assertThat(only(plan, "a").ips()).containsExactly("192.0.2.7");
		assertThat(only(plan, "b").ips()).containsExactly("192.0.2.8");
		assertThat(only(plan, "c").ips()).containsExactly("192.0.2.9");
	}

	@Test
	void startStopRangeUsesEveryAddressAndAMissingStopMeansOneAddress() {
		LbIpamPlan plan = this.planner.plan(
				List.of(pool("r", 1, Block.range("20.0.20.100", "20.0.20.101"), Block.range("1.2.3.4", null))),
				List.of(service("a", 1), service("b", 2), service("c", 3), service("d", 4)));
		assertThat(only(plan, "a").ips()).containsExactly("20.0.20.100");
		assertThat(only(plan, "b").ips()).containsExactly("20.0.20.101");
		assertThat(only(plan, "c").ips()).containsExactly("1.2.3.4");
		assertThat(only(plan, "d").condition().reason()).isEqualTo("out_of_ips");
		assertThat(plan.pools().get("r")).contains(LbCondition.counter(LbCondition.POOL_IPS_TOTAL, 3),
				LbCondition.counter(LbCondition.POOL_IPS_USED, 3),
				LbCondition.counter(LbCondition.POOL_IPS_AVAILABLE, 0));
	}

	@Test
	void serviceSelectorLimitsWhichServicesAPoolServesIncludingByNamespace() {
		LbPool red = new LbPool("red", 1, List.of(Block.cidr("10.0.1.0/24")),
				LabelSelector.matchLabels(Map.of("color", "red")), false, false);
		LbPool tenant = new LbPool("tenant", 2, List.of(Block.cidr("10.0.2.0/24")),
				LabelSelector.matchLabels(Map.of(LbService.NAMESPACE_LABEL, "tenant-a")), false, false);
		LbService redService = new LbService("default", "r", 1, Map.of("color", "red"), Set.of(Family.IPV4), false,
				List.of(), null, Set.of(), List.of(), List.of());
		LbService tenantService = new LbService("tenant-a", "t", 2, Map.of(), Set.of(Family.IPV4), false, List.of(),
				null, Set.of(), List.of(), List.of());
		LbIpamPlan plan = this.planner.plan(List.of(red, tenant), List.of(redService, tenantService, service("x", 3)));
		assertThat(plan.services().get("default/r").ips()).containsExactly("10.0.1.1");
		assertThat(plan.services().get("tenant-a/t").ips()).containsExactly("10.0.2.1");
		ServiceResult unmatched = only(plan, "x");
		assertThat(unmatched.ips()).isEmpty();
		assertThat(unmatched.condition()).isEqualTo(LbCondition.unsatisfied("no_pool",
				"There are no enabled CiliumLoadBalancerIPPools that " + "match this service for IPv4"));
	}

	@Test
	void disabledPoolAllocatesNothingNewButKeepsWhatItGaveOut() {
		LbPool disabled = new LbPool("p", 1, List.of(Block.cidr("10.0.0.0/24")), null, false, true);
		LbIpamPlan plan = this.planner.plan(List.of(disabled),
				List.of(holding(service("old", 1), "10.0.0.9"), service("new", 2)));
		assertThat(only(plan, "old").ips()).containsExactly("10.0.0.9");
		assertThat(only(plan, "old").condition().isTrue()).isTrue();
		assertThat(only(plan, "new").ips()).isEmpty();
		assertThat(only(plan, "new").condition().reason()).isEqualTo("no_pool");
	}

	@Test
	void newerOverlappingPoolIsMarkedConflictingAndNotUsedWhateverItsName() {
		LbPool blue = pool("blue", 1, Block.cidr("20.0.10.0/24"));
		LbPool aaa = pool("aaa", 2, Block.cidr("20.0.10.128/25"));
		LbIpamPlan plan = this.planner.plan(List.of(aaa, blue), List.of(holding(service("a", 1), "20.0.10.200")));
		assertThat(plan.pools().get("aaa").get(0))
			.isEqualTo(new LbCondition(LbCondition.POOL_CONFLICT, "True", "cidr_overlap",
					"Pool conflicts since CIDR '20.0.10.128/25' overlaps CIDR '20.0.10.0/24' from IP Pool 'blue'"));
		assertThat(plan.pools().get("blue").get(0).status()).isEqualTo("False");
		assertThat(only(plan, "a").ips()).containsExactly("20.0.10.200");
		assertThat(plan.pools().get("blue")).contains(LbCondition.counter(LbCondition.POOL_IPS_USED, 1));
		assertThat(plan.pools().get("aaa")).contains(LbCondition.counter(LbCondition.POOL_IPS_USED, 0));
	}

	@Test
	void requestedIpFromSpecOrAnnotationIsHonoured() {
		LbIpamPlan plan = this.planner.plan(List.of(pool("p", 1, Block.cidr("10.0.0.0/24"))),
				List.of(service("first", 1), requesting("b", 2, "10.0.0.100", "10.0.0.200")));
		assertThat(only(plan, "first").ips()).containsExactly("10.0.0.1");
		assertThat(only(plan, "b").ips()).containsExactly("10.0.0.100", "10.0.0.200");
		assertThat(only(plan, "b").condition().isTrue()).isTrue();
	}

	@Test
	void requestedIpAlreadyTakenIsReportedNotReplaced() {
		LbIpamPlan plan = this.planner.plan(List.of(pool("p", 1, Block.cidr("10.0.0.0/24"))),
				List.of(holding(service("owner", 1), "10.0.0.5"), requesting("late", 2, "10.0.0.5")));
		assertThat(only(plan, "owner").ips()).containsExactly("10.0.0.5");
		assertThat(only(plan, "late").ips()).isEmpty();
		assertThat(only(plan, "late").condition()).isEqualTo(LbCondition.unsatisfied("already_allocated",
				"The IP '10.0.0.5' is already allocated to another service"));
	}

	@Test
	void requestedIpOutsideEveryPoolOrInAPoolNotSelectingTheServiceIsReported() {
		LbPool other = new LbPool("other", 2, List.of(Block.cidr("10.9.0.0/24")),
				LabelSelector.matchLabels(Map.of("color", "red")), false, false);
		LbIpamPlan plan = this.planner.plan(List.of(pool("p", 1, Block.cidr("10.0.0.0/24")), other),
				List.of(requesting("nowhere", 1, "192.0.2.1"), requesting("mismatch", 2, "10.9.0.7"),
						requesting("broadcast", 3, "10.0.0.255")));
		assertThat(only(plan, "nowhere").condition().reason()).isEqualTo("no_pool");
		assertThat(only(plan, "mismatch").condition().reason()).isEqualTo("pool_selector_mismatch");
		assertThat(only(plan, "broadcast").condition().reason()).isEqualTo("no_pool");
		assertThat(plan.services().values()).allSatisfy((result) -> assertThat(result.ips()).isEmpty());
	}

	@Test
	void servicesWithTheSameSharingKeyShareAnAddressUnlessTheirPortsClash() {
		LbIpamPlan plan = this.planner.plan(List.of(pool("p", 1, Block.cidr("10.0.0.0/24"))),
				List.of(sharing("default", "a", 1, "k", 80, Set.of()), sharing("default", "b", 2, "k", 443, Set.of()),
						sharing("default", "c", 3, "k", 80, Set.of()),
						sharing("default", "d", 4, "other", 22, Set.of())));
		assertThat(only(plan, "a").ips()).containsExactly("10.0.0.1");
		assertThat(only(plan, "b").ips()).containsExactly("10.0.0.1");
		assertThat(only(plan, "c").ips()).containsExactly("10.0.0.2");
		assertThat(only(plan, "d").ips()).containsExactly("10.0.0.3");
		assertThat(plan.pools().get("p")).contains(LbCondition.counter(LbCondition.POOL_IPS_USED, 3));
	}

	@Test
	void sharingAcrossNamespacesNeedsBothServicesToAllowIt() {
		List<LbPool> pools = List.of(pool("p", 1, Block.cidr("10.0.0.0/24")));
		LbIpamPlan refused = this.planner.plan(pools,
				List.of(sharing("ns1", "a", 1, "k", 80, Set.of("ns2")), sharing("ns2", "b", 2, "k", 443, Set.of())));
		assertThat(refused.services().get("ns2/b").ips()).containsExactly("10.0.0.2");
		LbIpamPlan allowed = this.planner.plan(pools,
				List.of(sharing("ns1", "a", 1, "k", 80, Set.of("ns2")), sharing("ns2", "b", 2, "k", 443, Set.of("*"))));
		assertThat(allowed.services().get("ns2/b").ips()).containsExactly("10.0.0.1");
	}

	@Test
	void requestedIpHeldBySharingServiceIsJoinedWhenCompatibleAndRefusedWhenPortsClash() {
		LbService owner = holding(sharing("default", "owner", 1, "k", 80, Set.of()), "10.0.0.5");
		LbService joiner = new LbService("default", "joiner", 2, Map.of(), Set.of(Family.IPV4), false,
				List.of("10.0.0.5"), "k", Set.of(), List.of(new Port(443, "TCP")), List.of());
		LbService clasher = new LbService("default", "clasher", 3, Map.of(), Set.of(Family.IPV4), false,
				List.of("10.0.0.5"), "k", Set.of(), List.of(new Port(80, "TCP")), List.of());
		LbIpamPlan plan = this.planner.plan(List.of(pool("p", 1, Block.cidr("10.0.0.0/24"))),
				List.of(owner, joiner, clasher));
		assertThat(only(plan, "joiner").ips()).containsExactly("10.0.0.5");
		assertThat(only(plan, "clasher").ips()).isEmpty();
		assertThat(only(plan, "clasher").condition().reason()).isEqualTo("already_allocated_incompatible_service");
		assertThat(only(plan, "clasher").condition().message()).contains("port 80/TCP");
	}

	@Test
	void dualStackServiceGetsOneAddressPerFamily() {
		LbService dual = new LbService("default", "d", 1, Map.of(), Set.of(Family.IPV4, Family.IPV6), false, List.of(),
				null, Set.of(), List.of(), List.of());
		LbService v6only = new LbService("default", "six", 2, Map.of(), Set.of(Family.IPV6), false, List.of(), null,
				Set.of(), List.of(), List.of());
		LbIpamPlan plan = this.planner.plan(List.of(pool("p", 1, Block.cidr("10.0.10.0/24"), Block.cidr("2004::/64"))),
				List.of(dual, v6only));
		assertThat(only(plan, "d").ips()).containsExactly("10.0.10.1", "2004::1");
		assertThat(only(plan, "six").ips()).containsExactly("2004::2");
	}

	@Test
	void preferDualStackTakesTheFamiliesPoolsExistForWhereRequireDualStackReportsTheMissingOne() {
		LbService prefer = new LbService("default", "prefer", 1, Map.of(), Set.of(Family.IPV4, Family.IPV6), true,
				List.of(), null, Set.of(), List.of(), List.of());
		LbService require = new LbService("default", "require", 2, Map.of(), Set.of(Family.IPV4, Family.IPV6), false,
				List.of(), null, Set.of(), List.of(), List.of());
		LbIpamPlan v4Only = this.planner.plan(List.of(pool("v4", 1, Block.cidr("10.0.20.0/24"))),
				List.of(prefer, require));
		assertThat(only(v4Only, "prefer").ips()).containsExactly("10.0.20.1");
		assertThat(only(v4Only, "prefer").condition().isTrue()).isTrue();
		assertThat(only(v4Only, "require").ips()).containsExactly("10.0.20.2");
		assertThat(only(v4Only, "require").condition().reason()).isEqualTo("no_pool");
		assertThat(only(v4Only, "require").condition().message()).endsWith("for IPv6");

		LbIpamPlan bothPools = this.planner.plan(
				List.of(pool("v4", 1, Block.cidr("10.0.20.0/24")), pool("v6", 2, Block.cidr("2004::/64"))),
				List.of(holding(prefer, "10.0.20.1")));
		assertThat(only(bothPools, "prefer").ips()).containsExactly("10.0.20.1", "2004::1");
		assertThat(only(bothPools, "prefer").condition().isTrue()).isTrue();
	}

	@Test
	void preferDualStackWithNoPoolForAnyFamilyIsNotSatisfied() {
		LbService prefer = new LbService("default", "prefer", 1, Map.of("color", "red"),
				Set.of(Family.IPV4, Family.IPV6), true, List.of(), null, Set.of(), List.of(), List.of());
		LbIpamPlan plan = this.planner.plan(List.of(), List.of(prefer));
		assertThat(only(plan, "prefer").ips()).isEmpty();
		assertThat(only(plan, "prefer").condition().reason()).isEqualTo("no_pool");
		assertThat(only(plan, "prefer").condition().isTrue()).isFalse();
	}

	@Test
	void currentAddressesAreKeptAndWhenTwoServicesClaimOneTheOlderKeepsIt() {
		List<LbPool> pools = List.of(pool("p", 1, Block.cidr("10.0.0.0/24")));
		LbIpamPlan plan = this.planner.plan(pools, List.of(holding(service("young", 5), "10.0.0.7"),
				holding(service("old", 1), "10.0.0.7"), holding(service("stable", 3), "10.0.0.42")));
		assertThat(only(plan, "old").ips()).containsExactly("10.0.0.7");
		assertThat(only(plan, "stable").ips()).containsExactly("10.0.0.42");
		assertThat(only(plan, "young").ips()).containsExactly("10.0.0.1");
		assertThat(this.planner.plan(pools, List.of(holding(service("gone-pool", 1), "192.0.2.1")))
			.services()
			.get("default/gone-pool")
			.ips()).containsExactly("10.0.0.1");
	}

	@Test
	void invalidBlockMarksThePoolInsteadOfFailingThePlan() {
		LbIpamPlan plan = this.planner.plan(List.of(pool("bad", 1, Block.range("10.0.0.9", "10.0.0.1"))),
				List.of(service("a", 1)));
		assertThat(plan.pools().get("bad").get(0).reason()).isEqualTo("invalid_block");
		assertThat(plan.pools().get("bad").get(0).message()).contains("start is after its stop");
		assertThat(only(plan, "a").condition().reason()).isEqualTo("no_pool");
	}

}
