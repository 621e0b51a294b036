package io.jcilium.agent.datapath.nat;

import java.util.List;

import io.jcilium.common.net.Cidr;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class NonMasqueradeCidrsTest {

	@Test
	void anEmptyListMeansIpMasqAgentsDefaultsPlusLinkLocal() {
		assertThat(texts(NonMasqueradeCidrs.effective(List.of(), false))).containsExactlyInAnyOrder("10.0.0.0/8",
				"172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24",
				"198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "240.0.0.0/4", "169.254.0.0/16");
	}

	@Test
	void aConfiguredListReplacesTheDefaults() {
		assertThat(texts(NonMasqueradeCidrs.effective(List.of("10.244.0.0/16", " 172.29.0.0/24"), false)))
			.containsExactlyInAnyOrder("10.244.0.0/16", "172.29.0.0/24", "169.254.0.0/16");
	}

	@Test
	void masqLinkLocalMasqueradesLinkLocalToo() {
		assertThat(texts(NonMasqueradeCidrs.effective(List.of("10.244.0.0/16"), true)))
			.containsExactly("10.244.0.0/16");
	}

	@Test
	void duplicatesAreWrittenOnce() {
		assertThat(NonMasqueradeCidrs.effective(List.of("10.0.0.0/8", "10.0.0.0/8"), true)).hasSize(1);
	}

	@Test
	void aBadEntryIsAClearErrorNamingIt() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> NonMasqueradeCidrs.effective(List.of("10.0.0.1/8"), false))
			.withMessageContaining("non-masquerade-cidrs")
			.withMessageContaining("'10.0.0.1/8'");
		assertThatIllegalArgumentException().isThrownBy(() -> NonMasqueradeCidrs.effective(List.of("ten/8"), false))
			.withMessageContaining("'ten/8'");
		assertThatIllegalArgumentException().isThrownBy(() -> NonMasqueradeCidrs.effective(List.of("fd00::/8"), false))
			.withMessageContaining("IPv6");
	}

	@Test
	void theMapKeyIsPrefixLengthThenTheAddressInNetworkOrder() {
		byte[] key = MasqueradeMaps.key(Cidr.parseStrict("10.244.0.0/16"));
		assertThat(key).hasSize(8);
		assertThat(key[0] | key[1] | key[2] | key[3]).isEqualTo(16);
		assertThat(new byte[] { key[4], key[5], key[6], key[7] }).containsExactly(10, (byte) 244, 0, 0);
	}

	private static List<String> texts(List<Cidr> cidrs) {
		return cidrs.stream().map(Cidr::toString).toList();
	}

}
