package io.jcilium.common.ipam;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class IpBlockTest {

	@Test
	void addressAtCarriesAcrossOctets() throws Exception {
		IpBlock block = IpBlock.parse("10.0.0.0/16");
		assertThat(block.addressAt(256)).isEqualTo(InetAddress.getByName("10.0.1.0"));
		assertThat(block.addressAt(65535)).isEqualTo(InetAddress.getByName("10.0.255.255"));
		assertThat(block.offsetOf(InetAddress.getByName("10.0.1.7"))).isEqualTo(263);
	}

	@Test
	void offsetOfIsMinusOneOutsideTheBlockOrForTheOtherFamily() throws Exception {
		IpBlock block = IpBlock.parse("10.0.1.0/24");
		assertThat(block.offsetOf(InetAddress.getByName("10.0.2.1"))).isEqualTo(-1);
		assertThat(block.offsetOf(InetAddress.getByName("fd00::1"))).isEqualTo(-1);
	}

	@Test
	void ipv6OffsetsRoundTripAndFormatCompressed() throws Exception {
		IpBlock block = IpBlock.parse("fd00:0:0:1::/64");
		InetAddress address = block.addressAt(0x1_0000L + 5);
		assertThat(IpBlock.format(address)).as("RFC 5952: the first of two equally long zero runs is compressed")
			.isEqualTo("fd00::1:0:0:1:5");
		assertThat(block.offsetOf(address)).isEqualTo(0x1_0005L);
		assertThat(block.toString()).isEqualTo("fd00:0:0:1::/64");
		assertThat(block.size()).isEqualTo(1L << 62);
		assertThat(block.offsetOf(InetAddress.getByName("fd00:0:0:1:ffff::1"))).isEqualTo(-1);
	}

	@Test
	void rejectsMalformedCidrsSayingWhy() {
		assertThatIllegalArgumentException().isThrownBy(() -> IpBlock.parse("10.0.1.5/24"))
			.withMessageContaining("host bits set");
		assertThatIllegalArgumentException().isThrownBy(() -> IpBlock.parse("10.0.1.0"))
			.withMessageContaining("no prefix length");
		assertThatIllegalArgumentException().isThrownBy(() -> IpBlock.parse("10.0.1.0/33"))
			.withMessageContaining("outside 0..32");
		assertThatIllegalArgumentException().isThrownBy(() -> IpBlock.parse("example.com/24"))
			.withMessageContaining("not an IP address");
	}

}
