package io.jcilium.agent.datapath.maps;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PolicyMapEntryTest {

	@Test
	void anyProtocolIsTheStaticPrefixOnly() {
		assertThat(PolicyMapEntry.identity(1234, TrafficDirection.INGRESS, false).keys())
			.containsExactly(new DatapathStructs.PolicyKey(1234, false, 0, 0, 40));
	}

	@Test
	void allPortsOfAProtocolStopAfterTheProtocol() {
		assertThat(PolicyMapEntry.ports(0, TrafficDirection.EGRESS, PolicyMapEntry.UDP, 0, 65535, false).keys())
			.containsExactly(new DatapathStructs.PolicyKey(0, true, 17, 0, 48));
	}

	@Test
	void portRangeBecomesOneKeyPerBlock() {
		assertThat(PolicyMapEntry.ports(7, TrafficDirection.INGRESS, PolicyMapEntry.TCP, 8000, 8031, true).keys())
			.containsExactly(new DatapathStructs.PolicyKey(7, false, 6, 8000, 48 + 11));
	}

	@Test
	void icmpTypeSitsInThePortsHighByte() {
		assertThat(PolicyMapEntry.icmp(0, TrafficDirection.INGRESS, PolicyMapEntry.ICMP, 8, false).keys())
			.containsExactly(new DatapathStructs.PolicyKey(0, false, 1, 8 << 8, 56));
	}

	@Test
	void portsWithoutProtocolAreRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new PolicyMapEntry(0, TrafficDirection.INGRESS, 0, 80, 80, false))
			.withMessageContaining("needs a protocol");
	}

	@Test
	void keysRoundTripThroughTheirByteLayout() {
		DatapathStructs.PolicyKey key = new DatapathStructs.PolicyKey(70000, true, 6, 443, 64);
		byte[] bytes = key.encode();
		assertThat(bytes).hasSize(12);
		// dport is network order: 443 = 0x01bb
		assertThat(bytes[10]).isEqualTo((byte) 0x01);
		assertThat(bytes[11]).isEqualTo((byte) 0xbb);
		assertThat(DatapathStructs.PolicyKey.decode(bytes)).isEqualTo(key);
	}

}
