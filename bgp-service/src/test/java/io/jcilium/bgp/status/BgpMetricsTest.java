package io.jcilium.bgp.status;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Set;

import io.jcilium.bgp.session.BgpSpeaker;
import io.jcilium.bgp.session.NeighbourConfig;
import io.jcilium.bgp.session.SpeakerConfig;
import io.jcilium.bgp.wire.AddressFamily;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metrics follow the speaker's neighbours: a neighbour not Established counts 0, and
 * one removed leaves the series. A passive neighbour of a speaker that does not listen,
 * so nothing touches the network.
 */
class BgpMetricsTest {

	@Test
	void aNeighbourIsASeriesUntilItIsRemoved() throws Exception {
		BgpSpeaker speaker = new BgpSpeaker(
				new SpeakerConfig(65000, InetAddress.getByName("192.0.2.1"), null, 0, false), 1);
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		try (BgpMetrics metrics = new BgpMetrics(() -> speaker, Duration.ofHours(1))) {
			metrics.bindTo(registry);
			speaker.addNeighbour(new NeighbourConfig(InetAddress.getByName("192.0.2.2"), 179, 65001, true, 90, 1,
					Set.of(AddressFamily.IPV4_UNICAST), 0, null));
			metrics.refresh();

			assertThat(registry.get("jcilium_bgp_control_plane_session_state")
				.tags("vrouter", "65000", "neighbor", "192.0.2.2", "neighbor_asn", "65001")
				.gauge()
				.value()).as("not Established").isEqualTo(0);
			assertThat(registry.get("jcilium_bgp_control_plane_total_received_routes")
				.tags("neighbor", "192.0.2.2", "afi", "ipv4", "safi", "unicast")
				.gauge()
				.value()).isEqualTo(0);

			speaker.removeNeighbour(InetAddress.getByName("192.0.2.2"));
			metrics.refresh();

			assertThat(registry.find("jcilium_bgp_control_plane_session_state").gauges()).isEmpty();
			assertThat(registry.find("jcilium_bgp_control_plane_total_received_routes").gauges()).isEmpty();
		}
		finally {
			speaker.stop(false);
		}
	}

}
