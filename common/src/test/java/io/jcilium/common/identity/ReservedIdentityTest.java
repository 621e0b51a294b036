package io.jcilium.common.identity;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ReservedIdentityTest {

	@Test
	void numbersMatchUpstream() {
		assertThat(ReservedIdentity.HOST.id()).isEqualTo(1);
		assertThat(ReservedIdentity.WORLD.id()).isEqualTo(2);
		assertThat(ReservedIdentity.UNMANAGED.id()).isEqualTo(3);
		assertThat(ReservedIdentity.HEALTH.id()).isEqualTo(4);
		assertThat(ReservedIdentity.INIT.id()).isEqualTo(5);
		assertThat(ReservedIdentity.REMOTE_NODE.id()).isEqualTo(6);
		assertThat(ReservedIdentity.KUBE_APISERVER.id()).isEqualTo(7);
		assertThat(ReservedIdentity.INGRESS.id()).isEqualTo(8);
		assertThat(ReservedIdentity.WORLD_IPV4.id()).isEqualTo(9);
		assertThat(ReservedIdentity.WORLD_IPV6.id()).isEqualTo(10);
	}

	@Test
	void labelsAreReserved() {
		assertThat(ReservedIdentity.REMOTE_NODE.labels()).hasToString("reserved:remote-node");
		assertThat(ReservedIdentity.fromName("kube-apiserver")).isEqualTo(ReservedIdentity.KUBE_APISERVER);
		assertThat(ReservedIdentity.fromId(9)).contains(ReservedIdentity.WORLD_IPV4);
		assertThat(ReservedIdentity.fromId(11)).isEmpty();
		assertThatIllegalArgumentException().isThrownBy(() -> ReservedIdentity.fromName("moon"))
			.withMessageContaining("'moon'");
	}

	@Test
	void numericIdentityRanges() {
		assertThat(NumericIdentity.isReserved(1)).isTrue();
		assertThat(NumericIdentity.isReserved(256)).isFalse();
		assertThat(NumericIdentity.isInReservedRange(200)).isTrue();
		assertThat(NumericIdentity.isClusterWide(256)).isTrue();
		assertThat(NumericIdentity.isClusterWide(255)).isFalse();
		long cidr = NumericIdentity.local(1);
		assertThat(cidr).isEqualTo(16777217L);
		assertThat(NumericIdentity.isCidr(cidr)).isTrue();
		assertThat(NumericIdentity.isClusterWide(cidr)).isFalse();
		assertThat(NumericIdentity.isCidr(70000)).isFalse();
		assertThatIllegalArgumentException().isThrownBy(() -> NumericIdentity.local(0));
		assertThatIllegalArgumentException().isThrownBy(() -> NumericIdentity.requireInRange(70000, 256, 65535))
			.withMessageContaining("70000")
			.withMessageContaining("256-65535");
	}

}
