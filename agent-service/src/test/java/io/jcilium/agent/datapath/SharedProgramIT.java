package io.jcilium.agent.datapath;

import io.jcilium.agent.datapath.loader.EndpointProgram;
import io.jcilium.agent.datapath.maps.TrafficDirection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One bpf_lxc object serves every endpoint of a node: the same loaded programs on each
 * host-side veth, each endpoint's policy its own, and an endpoint whose configuration is
 * missing or does not add up gets nothing through, on real packets ({@link ThreePodNode}:
 * S admits C on UDP 9090, anyone on UDP 9191 and ping). The attacker is pod X, whose
 * entries are taken away one at a time.
 */
class SharedProgramIT {

	private static final int NO_CONFIGURATION = 165;

	private ThreePodNode node;

	@BeforeEach
	void setUp() {
		KernelRequirements.requireBpfAndTools("ip", "nsenter", "ping", "sysctl");
		this.node = new ThreePodNode().start();
	}

	@AfterEach
	void tearDown() {
		if (this.node != null) {
			this.node.close();
		}
	}

	@Test
	void everyEndpointRunsTheSameProgramsWithItsOwnPolicy() {
		EndpointProgram s = this.node.server();
		for (EndpointProgram other : this.node.programs) {
			assertThat(other.fromContainer().fd()).isEqualTo(s.fromContainer().fd());
			assertThat(other.toContainer().fd()).isEqualTo(s.toContainer().fd());
		}
		assertThat(PodTraffic.udpDelivered(this.node.c, this.node.s, 9090)).as("S admits C on 9090").isTrue();
		assertThat(PodTraffic.udpDelivered(this.node.x, this.node.s, 9090)).as("but not X").isFalse();
		assertThat(PodTraffic.udpDelivered(this.node.x, this.node.s, 9191)).as("X on 9191").isTrue();
		assertThat(PodTraffic.udpDelivered(this.node.s, this.node.c, 9191)).as("C admits nothing unsolicited")
			.isFalse();
	}

	@Test
	void aPodWithoutItsSettingsGetsNothingThroughEitherWay() {
		EndpointProgram x = attacker();
		assertThat(PodTraffic.ping(this.node.x, this.node.s, 1)).as("before").isEqualTo(1);

		assertThat(x.endpointConfig().remove(ThreePodNode.ENDPOINT_X)).isTrue();
		assertNothingThroughForX();
		assertThat(PodTraffic.ping(this.node.c, this.node.s, 1)).as("C on the same programs").isEqualTo(1);

		x.configure(x.config());
		assertThat(PodTraffic.ping(this.node.x, this.node.s, 1)).as("settings written again").isEqualTo(1);
	}

	@Test
	void aPodWithoutItsPolicyGetsNothingThroughEitherWay() {
		EndpointProgram x = attacker();
		assertThat(PodTraffic.ping(this.node.x, this.node.s, 1)).as("before").isEqualTo(1);

		assertThat(x.policyMaps().remove(ThreePodNode.ENDPOINT_X)).isTrue();
		assertNothingThroughForX();
		assertThat(PodTraffic.ping(this.node.c, this.node.s, 1)).as("C on the same programs").isEqualTo(1);
	}

	@Test
	void aVethNotBoundToItsEndpointGetsNothingThroughEvenNamingAnotherPod() {
		EndpointProgram x = attacker();
		int veth = x.config().ifindex();

		x.endpointIfindex().removeIfBound(veth, ThreePodNode.ENDPOINT_X);
		assertNothingThroughForX();

		// X's veth bound to C's endpoint (a stray or forged entry): C's settings name C's
		// veth, so X's packets are not taken as C's, not even to the port S admits C on
		x.endpointIfindex().put(veth, ThreePodNode.ENDPOINT_C);
		assertThat(PodTraffic.udpDelivered(this.node.x, this.node.s, 9090)).as("X as C on 9090").isFalse();
		assertThat(PodTraffic.ping(this.node.x, this.node.s, 1)).isZero();
		assertThat(PodTraffic.udpDelivered(this.node.c, this.node.s, 9090)).as("C itself still").isTrue();
	}

	private EndpointProgram attacker() {
		EndpointProgram x = this.node.programs.get(ThreePodNode.ENDPOINT_X - 1);
		assertThat(x.config().endpointId()).isEqualTo(ThreePodNode.ENDPOINT_X);
		return x;
	}

	/**
	 * X reaches nobody, nobody reaches X, and the drops are counted as no configuration.
	 */
	private void assertNothingThroughForX() {
		long egressBefore = noConfiguration(TrafficDirection.EGRESS);
		long ingressBefore = noConfiguration(TrafficDirection.INGRESS);
		assertThat(PodTraffic.ping(this.node.x, this.node.s, 2)).as("X pings S (open to anyone)").isZero();
		assertThat(PodTraffic.ping(this.node.x, this.node.s.address6(), 2)).as("over IPv6").isZero();
		assertThat(PodTraffic.udpDelivered(this.node.x, this.node.s, 9191)).as("X to S on 9191 (open to anyone)")
			.isFalse();
		assertThat(PodTraffic.ping(this.node.s, this.node.x, 2)).as("S pings X").isZero();
		assertThat(noConfiguration(TrafficDirection.EGRESS)).as("dropped leaving X").isGreaterThan(egressBefore);
		assertThat(noConfiguration(TrafficDirection.INGRESS)).as("dropped towards X").isGreaterThan(ingressBefore);
	}

	private long noConfiguration(TrafficDirection direction) {
		return this.node.server().metrics().get(NO_CONFIGURATION, direction).count();
	}

}
