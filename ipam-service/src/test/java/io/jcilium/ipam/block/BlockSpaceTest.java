package io.jcilium.ipam.block;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BlockSpaceTest {

	@Test
	void numbersBlocksAcrossCidrsInOrder() {
		BlockSpace space = new BlockSpace("p", Family.IPV4, List.of("10.0.0.0/23", "192.168.0.0/24"), 25);
		assertThat(space.total()).isEqualTo(6);
		assertThat(space.blockAt(0)).isEqualTo("10.0.0.0/25");
		assertThat(space.blockAt(3)).isEqualTo("10.0.1.128/25");
		assertThat(space.blockAt(4)).isEqualTo("192.168.0.0/25");
		assertThat(space.blockAt(5)).isEqualTo("192.168.0.128/25");
	}

	@Test
	void rejectsBadConfigurationNamingThePool() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new BlockSpace("p", Family.IPV4, List.of("10.0.0.0/24"), 16))
			.withMessageContaining("pool 'p'")
			.withMessageContaining("between 24 and 32");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new BlockSpace("p", Family.IPV4, List.of("fd00::/104"), 120))
			.withMessageContaining("is not IPv4");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new BlockSpace("p", Family.IPV6, List.of("fd00::/64"), 120))
			.withMessageContaining("at most 2^16");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new BlockSpace("p", Family.IPV4, List.of("10.0.0.0/8", "10.1.0.0/16"), 24))
			.withMessageContaining("overlaps 10.0.0.0/8");
	}

	@Test
	void poolsMustNotOverlapEachOther() {
		Pool cluster = Pool.of("cluster-pool", List.of("10.0.0.0/8"), 24, null, 120);
		Pool blue = Pool.of("blue", List.of("10.20.0.0/16"), 24, null, 120);
		assertThatIllegalArgumentException().isThrownBy(() -> Pool.requireDisjoint(List.of(cluster, blue)))
			.withMessageContaining("'cluster-pool' (10.0.0.0/8) and pool 'blue' (10.20.0.0/16)");
	}

}
