package io.jcilium.agent.ipam;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PodCidrTest {

	@Test
	void addressAtCarriesAcrossOctets() throws Exception {
		PodCidr block = PodCidr.parse("10.0.0.0/16");
		assertThat(block.addressAt(256)).isEqualTo(InetAddress.getByName("10.0.1.0"));
		assertThat(block.addressAt(65535)).isEqualTo(InetAddress.getByName("10.0.255.255"));
		assertThat(block.offsetOf(InetAddress.getByName("10.0.1.7"))).isEqualTo(263);
	}

	@Test
	void offsetOfIsMinusOneOutsideTheBlockOrForTheOtherFamily() throws Exception {
		PodCidr block = PodCidr.parse("10.0.1.0/24");
		assertThat(block.offsetOf(InetAddress.getByName("10.0.2.1"))).isEqualTo(-1);
		assertThat(block.offsetOf(InetAddress.getByName("fd00::1"))).isEqualTo(-1);
	}

	@Test
	void ipv6OffsetsRoundTripAndFormatCompressed() throws Exception {
		PodCidr block = PodCidr.parse("fd00:0:0:1::/64");
		InetAddress address = block.addressAt(0x1_0000L + 5);
		assertThat(PodCidr.format(address)).as("RFC 5952: the first of two equally long zero runs is compressed")
			.isEqualTo("fd00::1:0:0:1:5");
		assertThat(block.offsetOf(address)).isEqualTo(0x1_0005L);
		assertThat(block.toString()).isEqualTo("fd00:0:0:1::/64");
		assertThat(block.size()).isEqualTo(1L << 62);
		assertThat(block.offsetOf(InetAddress.getByName("fd00:0:0:1:ffff::1"))).isEqualTo(-1);
	}

	@Test
	void rejectsMalformedCidrsSayingWhy() {
		assertThatIllegalArgumentException().isThrownBy(() -> PodCidr.parse("10.0.1.5/24"))
			.withMessageContaining("host bits are set");
		assertThatIllegalArgumentException().isThrownBy(() -> PodCidr.parse("10.0.1.0/33"))
			.withMessageContaining("from 0 to 32");
		assertThatIllegalArgumentException().isThrownBy(() -> PodCidr.parse("example.com/24"))
			.withMessageContaining("example.com");
	}

	@Test
	void addressesAreLiteralsOnlyNeverPrefixesOrNames() {
		assertThat(PodCidr.parseAddress("10.0.1.2").getHostAddress()).isEqualTo("10.0.1.2");
		assertThatIllegalArgumentException().isThrownBy(() -> PodCidr.parseAddress("10.0.1.2/32"));
		assertThatIllegalArgumentException().isThrownBy(() -> PodCidr.parseAddress("localhost"));
	}

}
