package io.jcilium.common.net;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PortRangeTest {

	@Test
	void singlePortIsOneFullMask() {
		assertThat(PortRange.of(80).masks()).extracting(PortRange.PortMask::toString).containsExactly("80/16");
		assertThat(PortRange.ANY.masks()).extracting(PortRange.PortMask::toString).containsExactly("0/0");
	}

	@Test
	void rangesSplitIntoAlignedMasks() {
		assertThat(new PortRange(80, 81).masks()).extracting(PortRange.PortMask::toString).containsExactly("80/15");
		assertThat(new PortRange(8080, 8090).masks()).extracting(PortRange.PortMask::toString)
			.containsExactly("8080/13", "8088/15", "8090/16");
		assertThat(new PortRange(1, 65535).masks()).hasSize(16);
		assertThat(new PortRange(1024, 2047).masks()).extracting(PortRange.PortMask::toString)
			.containsExactly("1024/6");
	}

	@Test
	void masksCoverExactlyTheRange() {
		PortRange range = new PortRange(1000, 1999);
		for (int port = 0; port <= 65535; port++) {
			int p = port;
			boolean covered = range.masks().stream().anyMatch((m) -> m.matches(p));
			assertThat(covered).as("port %d", port).isEqualTo(range.contains(port));
		}
	}

	@Test
	void rejectsBadPorts() {
		assertThatIllegalArgumentException().isThrownBy(() -> PortRange.of(65536)).withMessageContaining("port 65536");
		assertThatIllegalArgumentException().isThrownBy(() -> PortRange.of(-1)).withMessageContaining("0 to 65535");
		assertThatIllegalArgumentException().isThrownBy(() -> new PortRange(90, 80))
			.withMessageContaining("endPort 80 is smaller than port 90");
		assertThatIllegalArgumentException().isThrownBy(() -> new PortRange(80, 70000))
			.withMessageContaining("1 to 65535");
		assertThatIllegalArgumentException().isThrownBy(() -> new PortRange(0, 80))
			.withMessageContaining("needs a port");
	}

	@Test
	void protocolsHaveIanaNumbers() {
		assertThat(Protocol.TCP.code()).isEqualTo(6);
		assertThat(Protocol.UDP.code()).isEqualTo(17);
		assertThat(Protocol.SCTP.code()).isEqualTo(132);
		assertThat(Protocol.ICMP.code()).isEqualTo(1);
		assertThat(Protocol.ICMPV6.code()).isEqualTo(58);
		assertThat(Protocol.ANY.code()).isEqualTo(0);
		assertThat(Protocol.fromCode(132)).isEqualTo(Protocol.SCTP);
		assertThat(Protocol.parse("icmpv6")).isEqualTo(Protocol.ICMPV6);
		assertThat(Protocol.parse("TCP")).isEqualTo(Protocol.TCP);
		assertThatIllegalArgumentException().isThrownBy(() -> Protocol.parse("QUIC"))
			.withMessageContaining("'QUIC'")
			.withMessageContaining("SCTP");
		assertThatIllegalArgumentException().isThrownBy(() -> Protocol.fromCode(99)).withMessageContaining("99");
	}

}
