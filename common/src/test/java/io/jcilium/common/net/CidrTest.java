package io.jcilium.common.net;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CidrTest {

	@Test
	void parsesIpv4AndIpv6() {
		Cidr v4 = Cidr.parse("10.0.0.0/8");
		assertThat(v4.isIpv4()).isTrue();
		assertThat(v4.prefixLength()).isEqualTo(8);
		assertThat(v4).hasToString("10.0.0.0/8");
		Cidr v6 = Cidr.parse("2001:DB8:0:0::/32");
		assertThat(v6.isIpv4()).isFalse();
		assertThat(v6).hasToString("2001:db8::/32");
		assertThat(Cidr.parse("::/0")).hasToString("::/0");
		assertThat(Cidr.parse("0.0.0.0/0").size()).isEqualTo(BigInteger.ONE.shiftLeft(32));
	}

	@Test
	void hostBitsAreClearedByParseAndRejectedByParseStrict() {
		assertThat(Cidr.parse("10.0.0.1/24")).isEqualTo(Cidr.parse("10.0.0.0/24"));
		assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parseStrict("10.0.0.1/24"))
			.withMessageContaining("host bits")
			.withMessageContaining("10.0.0.0/24");
		assertThat(Cidr.parseStrict("10.0.0.0/24")).hasToString("10.0.0.0/24");
	}

	@Test
	void bareAddressIsAHostPrefix() {
		assertThat(Cidr.parse("192.168.1.7")).hasToString("192.168.1.7/32");
		assertThat(Cidr.parse("fd00::1")).hasToString("fd00::1/128");
	}

	@Test
	void rejectsBadInputNamingIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse("10.0.0.0/33"))
			.withMessageContaining("'10.0.0.0/33'")
			.withMessageContaining("0 to 32");
		assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse("fd00::/129"))
			.withMessageContaining("0 to 128");
		assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse("10.0.0.256/8"))
			.withMessageContaining("not a valid IPv4 address");
		assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse("example.com/8"))
			.withMessageContaining("not a valid IPv4 address");
		assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse("10.0.0.0/-1"))
			.withMessageContaining("prefix length");
		assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse("10.0.0.0/"))
			.withMessageContaining("prefix length");
		assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse("fd00:::1/64"))
			.withMessageContaining("fd00:::1");
		assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse(""));
	}

	@Test
	void containsAddressesAndPrefixes() {
		Cidr net = Cidr.parse("10.1.0.0/16");
		assertThat(net.contains("10.1.255.255")).isTrue();
		assertThat(net.contains("10.2.0.0")).isFalse();
		assertThat(net.contains("::1")).isFalse();
		assertThat(net.contains(Cidr.parse("10.1.2.0/24"))).isTrue();
		assertThat(net.contains(net)).isTrue();
		assertThat(net.contains(Cidr.parse("10.0.0.0/8"))).isFalse();
		assertThat(Cidr.parse("0.0.0.0/0").contains(Cidr.parse("fd00::/8"))).isFalse();
		assertThat(Cidr.parse("2001:db8::/32").contains("2001:db8:ffff::1")).isTrue();
	}

	@Test
	void prefixMath() {
		Cidr net = Cidr.parse("192.168.0.0/22");
		assertThat(net.network()).isEqualTo("192.168.0.0");
		assertThat(net.last()).isEqualTo("192.168.3.255");
		assertThat(net.size()).isEqualTo(BigInteger.valueOf(1024));
		assertThat(net.nth(257)).isEqualTo("192.168.1.1");
		assertThatIllegalArgumentException().isThrownBy(() -> net.nth(1024)).withMessageContaining("outside");
		assertThat(net.subnets(24)).extracting(Cidr::toString)
			.containsExactly("192.168.0.0/24", "192.168.1.0/24", "192.168.2.0/24", "192.168.3.0/24");
		assertThatIllegalArgumentException().isThrownBy(() -> net.subnets(21)).withMessageContaining("22 to 32");
		Cidr v6 = Cidr.parse("fd00::/120");
		assertThat(v6.last()).isEqualTo("fd00::ff");
		assertThat(v6.nth(16)).isEqualTo("fd00::10");
	}

	@Test
	void exceptProducesTheMinimalPrefixes() {
		List<String> rest = Cidr.parse("10.0.0.0/8")
			.except(List.of(Cidr.parse("10.96.0.0/12")))
			.stream()
			.map(Cidr::toString)
			.toList();
		assertThat(rest).containsExactly("10.0.0.0/10", "10.64.0.0/11", "10.112.0.0/12", "10.128.0.0/9");
		assertThat(Cidr.parse("10.0.0.0/24").except(List.of(Cidr.parse("10.0.0.0/8")))).isEmpty();
		assertThat(Cidr.parse("10.0.0.0/24").except(List.of(Cidr.parse("11.0.0.0/8"))))
			.containsExactly(Cidr.parse("10.0.0.0/24"));
		List<Cidr> two = Cidr.parse("10.0.0.0/30")
			.except(List.of(Cidr.parse("10.0.0.0/32"), Cidr.parse("10.0.0.3/32")));
		assertThat(two).extracting(Cidr::toString).containsExactly("10.0.0.1/32", "10.0.0.2/32");
	}

	@Test
	void parseStrictWantsThePrefixLengthAndIgnoresSurroundingBlanks() {
		assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parseStrict("10.0.0.0"))
			.withMessageContaining("no prefix length");
		assertThat(Cidr.parseStrict(" fd00:0:0:1::/64 ")).hasToString("fd00:0:0:1::/64");
		assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parseStrict("cluster.local/8"))
			.withMessageContaining("cluster.local");
	}

	// The cases of ipam-service's former Prefix type: carving pools into node blocks.
	@Test
	void carvesIndexedSubnetsOfIpv4AndIpv6() {
		assertThat(Cidr.parseStrict("10.0.0.0/8").subnet(24, 257)).hasToString("10.1.1.0/24");
		assertThat(Cidr.parseStrict("fd00::/104").subnet(120, 65535)).hasToString("fd00::ff:ff00/120");
		assertThat(Cidr.parseStrict("10.0.0.0/8").subnetCount(24)).isEqualTo(65536);
		assertThat(Cidr.parseStrict("fd00::/64").subnetCount(120)).isEqualTo(BigInteger.ONE.shiftLeft(56));
		assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse("10.0.0.0/8").subnet(24, 65536))
			.withMessageContaining("outside the 65536 /24 subnets of 10.0.0.0/8");
		assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse("10.0.0.0/16").subnetCount(8))
			.withMessageContaining("16 to 32");
	}

	@Test
	void overlapsOnlyWithinAFamily() {
		assertThat(Cidr.parse("10.0.0.0/8").overlaps(Cidr.parse("10.20.0.0/16"))).isTrue();
		assertThat(Cidr.parse("10.20.0.0/16").overlaps(Cidr.parse("10.0.0.0/8"))).isTrue();
		assertThat(Cidr.parse("10.0.0.0/16").overlaps(Cidr.parse("10.1.0.0/16"))).isFalse();
		assertThat(Cidr.parse("::/0").overlaps(Cidr.parse("10.0.0.0/8"))).isFalse();
	}

	// What the agent's pod IP allocator needs of its node CIDR.
	@Test
	void addressesByOffsetFromTheNetworkAddress() throws Exception {
		Cidr v4 = Cidr.parseStrict("10.0.1.0/24");
		assertThat(v4.hostBits()).isEqualTo(8);
		assertThat(v4.offsetCount()).isEqualTo(256);
		assertThat(IpAddress.format(v4.addressAt(1))).isEqualTo("10.0.1.1");
		assertThat(v4.offsetOf(InetAddress.getByAddress(new byte[] { 10, 0, 1, (byte) 254 }))).isEqualTo(254);
		assertThat(v4.offsetOf(IpAddress.parseLiteral("10.0.2.1"))).isEqualTo(-1);
		assertThat(v4.offsetOf(IpAddress.parseLiteral("fd00::1"))).isEqualTo(-1);
		assertThatIllegalArgumentException().isThrownBy(() -> v4.addressAt(256)).withMessageContaining("outside");

		Cidr v6 = Cidr.parseStrict("fd00:0:0:1::/64");
		assertThat(v6.isIpv6()).isTrue();
		assertThat(v6.offsetCount()).isEqualTo(1L << 62);
		InetAddress far = v6.addressAt((1L << 62) - 1);
		assertThat(IpAddress.format(far)).isEqualTo("fd00::1:3fff:ffff:ffff:ffff");
		assertThat(v6.offsetOf(far)).isEqualTo((1L << 62) - 1);
		// Inside the prefix but beyond what a long offset reaches.
		assertThat(v6.offsetOf(IpAddress.parseLiteral("fd00:0:0:1:ffff::1"))).isEqualTo(-1);
	}

	// The offset arithmetic works on raw bytes: carries, partial bytes and the ends of
	// each family are where it can go wrong. Expected addresses are written out by hand.
	@Test
	void offsetsAtTheEdgesOfBothFamilies() {
		Cidr v4 = Cidr.parseStrict("10.0.0.0/16");
		assertThat(IpAddress.format(v4.addressAt(255))).isEqualTo("10.0.0.255");
		assertThat(IpAddress.format(v4.addressAt(256))).as("carry into the next byte").isEqualTo("10.0.1.0");
		assertThat(IpAddress.format(v4.addressAt(65535))).isEqualTo("10.0.255.255");
		assertThat(v4.offsetOf(IpAddress.parseLiteral("10.0.1.7"))).isEqualTo(263);
		assertThat(v4.offsetOf(IpAddress.parseLiteral("10.1.0.0"))).isEqualTo(-1);

		Cidr partialByte = Cidr.parseStrict("10.0.16.0/20");
		assertThat(IpAddress.format(partialByte.addressAt(4095))).isEqualTo("10.0.31.255");
		assertThat(partialByte.offsetOf(IpAddress.parseLiteral("10.0.31.255"))).isEqualTo(4095);
		assertThat(partialByte.offsetOf(IpAddress.parseLiteral("10.0.32.0"))).as("prefix differs mid-byte")
			.isEqualTo(-1);
		assertThat(partialByte.offsetOf(IpAddress.parseLiteral("10.0.15.255"))).isEqualTo(-1);

		Cidr everything = Cidr.parseStrict("0.0.0.0/0");
		assertThat(everything.offsetCount()).isEqualTo(1L << 32);
		assertThat(IpAddress.format(everything.addressAt((1L << 32) - 1))).isEqualTo("255.255.255.255");
		assertThat(everything.offsetOf(IpAddress.parseLiteral("255.255.255.255"))).isEqualTo((1L << 32) - 1);

		Cidr host4 = Cidr.parseStrict("192.0.2.7/32");
		assertThat(host4.offsetCount()).isEqualTo(1);
		assertThat(IpAddress.format(host4.addressAt(0))).isEqualTo("192.0.2.7");
		assertThatIllegalArgumentException().isThrownBy(() -> host4.addressAt(1))
			.withMessage("offset 1 outside 192.0.2.7/32");
		assertThatIllegalArgumentException().isThrownBy(() -> host4.addressAt(-1));

		Cidr host6 = Cidr.parseStrict("2001:db8::ff/128");
		assertThat(host6.offsetCount()).isEqualTo(1);
		assertThat(host6.offsetOf(IpAddress.parseLiteral("2001:db8::ff"))).isZero();
		assertThat(host6.offsetOf(IpAddress.parseLiteral("2001:db8::fe"))).isEqualTo(-1);

		Cidr v6 = Cidr.parseStrict("2001:db8:0:ff00::/56");
		assertThat(IpAddress.format(v6.addressAt(0xff_ffff_ffffL + 1))).as("carry across 40 bits")
			.isEqualTo("2001:db8:0:ff00:0:100::");
		assertThat(v6.offsetOf(IpAddress.parseLiteral("2001:db8:0:ff00:0:100::"))).isEqualTo(1L << 40);
		assertThat(v6.offsetOf(IpAddress.parseLiteral("2001:db8:0:ffff::1")))
			.as("a host bit above the 62 a long offset holds")
			.isEqualTo(-1);

		Cidr wide = Cidr.parseStrict("2001:db8::/32");
		assertThat(wide.offsetCount()).as("capped for a long offset").isEqualTo(1L << 62);
		assertThat(wide.offsetOf(IpAddress.parseLiteral("2001:db8::1:0:0:1"))).isEqualTo((1L << 48) + 1);
		assertThat(wide.offsetOf(IpAddress.parseLiteral("2001:db8:1::1"))).as("beyond 2^62").isEqualTo(-1);
		assertThat(wide.offsetOf(IpAddress.parseLiteral("2001:db9::1"))).isEqualTo(-1);
	}

	@Test
	void literalAddressesOnlyNeverHostNames() {
		assertThat(IpAddress.format(IpAddress.parseLiteral("FD00:0:0:0::1"))).isEqualTo("fd00::1");
		assertThatIllegalArgumentException().isThrownBy(() -> IpAddress.parseLiteral("localhost"))
			.withMessageContaining("localhost");
	}

}
