package io.jcilium.ipam.block;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PrefixTest {

	@Test
	void carvesIpv4AndIpv6SubPrefixes() {
		assertThat(Prefix.parse("10.0.0.0/8").subPrefix(24, 257)).hasToString("10.1.1.0/24");
		assertThat(Prefix.parse("fd00::/104").subPrefix(120, 65535)).hasToString("fd00::ff:ff00/120");
		assertThat(Prefix.parse("fd00:0:0:1::/64")).hasToString("fd00:0:0:1::/64");
		assertThat(Prefix.parse("10.0.0.0/8").countOf(24)).isEqualTo(65536);
	}

	@Test
	void detectsOverlapOnlyWithinAFamily() {
		assertThat(Prefix.parse("10.0.0.0/8").overlaps(Prefix.parse("10.20.0.0/16"))).isTrue();
		assertThat(Prefix.parse("10.20.0.0/16").overlaps(Prefix.parse("10.0.0.0/8"))).isTrue();
		assertThat(Prefix.parse("10.0.0.0/16").overlaps(Prefix.parse("10.1.0.0/16"))).isFalse();
		assertThat(Prefix.parse("::/0").overlaps(Prefix.parse("10.0.0.0/8"))).isFalse();
	}

	@Test
	void rejectsMalformedCidrsSayingWhy() {
		assertThatIllegalArgumentException().isThrownBy(() -> Prefix.parse("10.0.0.1/8"))
			.withMessageContaining("host bits set");
		assertThatIllegalArgumentException().isThrownBy(() -> Prefix.parse("10.0.0.0"))
			.withMessageContaining("no prefix length");
		assertThatIllegalArgumentException().isThrownBy(() -> Prefix.parse("fd00::/129"))
			.withMessageContaining("outside 0..128");
		assertThatIllegalArgumentException().isThrownBy(() -> Prefix.parse("cluster.local/8"))
			.withMessageContaining("does not start with an IP address");
	}

}
