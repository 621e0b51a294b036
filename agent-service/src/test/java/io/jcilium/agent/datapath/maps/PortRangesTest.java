package io.jcilium.agent.datapath.maps;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PortRangesTest {

	@Test
	void singlePortIsOneFullPrefixBlock() {
		assertThat(PortRanges.split(80, 80)).containsExactly(new PortRanges.Block(80, 16));
	}

	@Test
	void allPortsIsOneZeroPrefixBlock() {
		assertThat(PortRanges.split(0, 65535)).containsExactly(new PortRanges.Block(0, 0));
	}

	@Test
	void alignedPowerOfTwoRangeIsOneBlock() {
		assertThat(PortRanges.split(8000, 8031)).containsExactly(new PortRanges.Block(8000, 11));
	}

	@Test
	void unalignedRangeIsCoveredExactlyWithoutOverlap() {
		for (int[] range : new int[][] { { 1, 65535 }, { 8000, 8099 }, { 1023, 1025 }, { 3, 3 }, { 65535, 65535 } }) {
			List<PortRanges.Block> blocks = PortRanges.split(range[0], range[1]);
			int next = range[0];
			for (PortRanges.Block block : blocks) {
				assertThat(block.port()).isEqualTo(next);
				assertThat(block.port() % (1 << (16 - block.prefixBits()))).as("block aligned").isZero();
				next = block.lastPort() + 1;
			}
			assertThat(next - 1).isEqualTo(range[1]);
		}
		assertThat(PortRanges.split(1, 65535)).hasSize(16);
	}

	@Test
	void rejectsInvertedOrOutOfRangePorts() {
		assertThatIllegalArgumentException().isThrownBy(() -> PortRanges.split(90, 80)).withMessageContaining("90-80");
		assertThatIllegalArgumentException().isThrownBy(() -> PortRanges.split(0, 65536));
	}

}
