package io.jcilium.agent.node.routing;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoutingModeTest {

	@Test
	void podLinksLoseVxlansFiftyBytesInTunnelModeOnlyAndKeepTheKernelsDefaultOtherwise() {
		assertThat(RoutingMode.podLinkMtu("tunnel", 1500)).isEqualTo(1450);
		assertThat(RoutingMode.podLinkMtu("TUNNEL", 9000)).isEqualTo(8950);
		assertThat(RoutingMode.podLinkMtu("native", 1500)).isZero();
	}

	@Test
	void anUnknownModeIsRefusedNamingTheSettingAndTheChoices() {
		assertThatThrownBy(() -> RoutingMode.podLinkMtu("vxlan", 1500)).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("jcilium.agent.routing.mode")
			.hasMessageContaining("'native' or 'tunnel'")
			.hasMessageContaining("'vxlan'");
	}

	@Test
	void anUnderlayMtuTooSmallForIpv6InsideTheTunnelIsRefused() {
		assertThatThrownBy(() -> new RoutingProperties(RoutingMode.TUNNEL, false, "cilium_vxlan", 8472, 1300,
				Duration.ofSeconds(60), Duration.ofSeconds(10)))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("underlay-mtu must be between 1330 and 65535, got 1300");
	}

}
