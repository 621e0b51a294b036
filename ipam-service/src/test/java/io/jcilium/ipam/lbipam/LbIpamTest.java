package io.jcilium.ipam.lbipam;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.jcilium.ipam.block.Family;
import io.jcilium.ipam.lbipam.LbPool.Block;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LbIpamTest {

	private final LbPool blue = LbPool.of("blue", Block.cidr("10.0.10.0/30"),
			Block.range("20.0.20.100", "20.0.20.101"));

	@Test
	void assignsFromPoolsAndKeepsAssignmentsOnTheNextPass() {
		LbAssignment first = LbIpam.assign(List.of(this.blue),
				List.of(LbService.of("default/a", "TCP/80"), LbService.of("default/b", "TCP/80")), Map.of());
		assertThat(first.ips()).containsEntry("default/a", List.of("10.0.10.0"))
			.containsEntry("default/b", List.of("10.0.10.1"));
		assertThat(first.serviceConditions().get("default/a").status()).isEqualTo("True");

		LbAssignment second = LbIpam.assign(List.of(this.blue),
				List.of(LbService.of("default/0-new", "TCP/80"), LbService.of("default/b", "TCP/80")), first.ips());
		assertThat(second.ips()).as("b keeps its address; a's is free again for the newcomer")
			.containsEntry("default/b", List.of("10.0.10.1"))
			.containsEntry("default/0-new", List.of("10.0.10.0"));
	}

	@Test
	void allowFirstLastIpsNoReservesNetworkAndBroadcast() {
		LbPool pool = new LbPool("p", List.of(Block.cidr("10.0.10.0/30")), false, false, (labels) -> true);
		LbAssignment result = LbIpam.assign(List.of(pool),
				List.of(LbService.of("ns/a"), LbService.of("ns/b"), LbService.of("ns/c")), Map.of());
		assertThat(result.ips().get("ns/a")).containsExactly("10.0.10.1");
		assertThat(result.ips().get("ns/b")).containsExactly("10.0.10.2");
		assertThat(result.serviceConditions().get("ns/c").reason()).isEqualTo("out_of_ips");
		assertThat(result.ips().get("ns/c")).isEmpty();
	}

	@Test
	void requestedIpIsGrantedOrRefusedButNeverReplaced() {
		LbService wantsFree = new LbService("ns/a", Map.of(), List.of("20.0.20.101"), null, Set.of("TCP/80"),
				Set.of(Family.IPV4));
		LbService wantsTaken = new LbService("ns/b", Map.of(), List.of("20.0.20.101"), null, Set.of("TCP/443"),
				Set.of(Family.IPV4));
		LbService wantsOutside = new LbService("ns/c", Map.of(), List.of("192.0.2.1"), null, Set.of("TCP/80"),
				Set.of(Family.IPV4));
		LbAssignment result = LbIpam.assign(List.of(this.blue), List.of(wantsFree, wantsTaken, wantsOutside), Map.of());
		assertThat(result.ips().get("ns/a")).containsExactly("20.0.20.101");
		assertThat(result.ips().get("ns/b")).isEmpty();
		assertThat(result.serviceConditions().get("ns/b").reason()).isEqualTo("already_allocated");
		assertThat(result.serviceConditions().get("ns/b").message()).contains("20.0.20.101", "ns/a");
		assertThat(result.ips().get("ns/c")).isEmpty();
		assertThat(result.serviceConditions().get("ns/c").reason()).isEqualTo("no_pool");
	}

	@Test
	void sharingKeySharesAnAddressOnlyWhenPortsDoNotClash() {
		LbService dns = new LbService("ns/dns-udp", Map.of(), List.of(), "dns", Set.of("UDP/53"), Set.of(Family.IPV4));
		LbService dnsTcp = new LbService("ns/dns-tcp", Map.of(), List.of(), "dns", Set.of("TCP/53"),
				Set.of(Family.IPV4));
		LbService clash = new LbService("ns/dns-udp2", Map.of(), List.of(), "dns", Set.of("UDP/53"),
				Set.of(Family.IPV4));
		LbService other = new LbService("ns/web", Map.of(), List.of(), "web", Set.of("TCP/80"), Set.of(Family.IPV4));
		LbAssignment result = LbIpam.assign(List.of(this.blue), List.of(dns, dnsTcp, clash, other), Map.of());
		assertThat(result.ips().get("ns/dns-tcp")).isEqualTo(result.ips().get("ns/dns-udp"));
		assertThat(result.ips().get("ns/dns-udp2")).isNotEqualTo(result.ips().get("ns/dns-udp"));
		assertThat(result.ips().get("ns/web")).doesNotContainAnyElementsOf(result.ips().get("ns/dns-udp"));
	}

	@Test
	void overlappingNewerPoolIsConflictingAndServesNothing() {
		LbPool newer = LbPool.of("green", Block.cidr("10.0.10.0/24"));
		LbService onlyInGreen = new LbService("ns/green-only", Map.of(), List.of("10.0.10.50"), null, Set.of(),
				Set.of(Family.IPV4));
		LbAssignment result = LbIpam.assign(List.of(this.blue, newer), List.of(onlyInGreen), Map.of());
		assertThat(result.poolConditions()).containsOnlyKeys("green");
		assertThat(result.poolConditions().get("green").type()).isEqualTo(LbCondition.POOL_CONFLICT);
		assertThat(result.poolConditions().get("green").message()).contains("pool 'blue'");
		assertThat(result.serviceConditions().get("ns/green-only").reason()).isEqualTo("no_pool");
	}

	@Test
	void disabledPoolKeepsAssignmentsButGivesNoNewOnes() {
		LbPool disabled = new LbPool("blue", this.blue.blocks(), true, true, (labels) -> true);
		LbAssignment result = LbIpam.assign(List.of(disabled), List.of(LbService.of("ns/a"), LbService.of("ns/b")),
				Map.of("ns/a", List.of("10.0.10.3")));
		assertThat(result.ips().get("ns/a")).containsExactly("10.0.10.3");
		assertThat(result.serviceConditions().get("ns/b").reason()).isEqualTo("no_pool");
	}

	@Test
	void serviceSelectorAndFamiliesChooseThePool() {
		LbPool red = new LbPool("red", List.of(Block.cidr("20.1.0.0/24"), Block.cidr("2004::/64")), true, false,
				(labels) -> "red".equals(labels.get("color")));
		LbService dual = new LbService("ns/red", Map.of("color", "red"), List.of(), null, Set.of("TCP/80"),
				Set.of(Family.IPV4, Family.IPV6));
		LbService plain = new LbService("ns/plain", Map.of(), List.of(), null, Set.of("TCP/80"), Set.of(Family.IPV6));
		LbAssignment result = LbIpam.assign(List.of(this.blue, red), List.of(dual, plain), Map.of());
		assertThat(result.ips().get("ns/red")).containsExactlyInAnyOrder("10.0.10.0", "2004::");
		assertThat(result.serviceConditions().get("ns/plain").reason()).isEqualTo("no_pool");
	}

	@Test
	void fiveThousandServicesGetDistinctAddresses() {
		LbPool big = LbPool.of("big", Block.cidr("10.96.0.0/16"));
		List<LbService> services = new ArrayList<>();
		for (int i = 0; i < 5000; i++) {
			services.add(LbService.of("ns/svc-" + i, "TCP/80"));
		}
		LbAssignment result = LbIpam.assign(List.of(big), services, new HashMap<>());
		assertThat(result.ips().values().stream().flatMap(List::stream).distinct().count()).isEqualTo(5000);
		assertThat(LbIpam.assign(List.of(big), services, result.ips()).ips()).isEqualTo(result.ips());
	}

}
