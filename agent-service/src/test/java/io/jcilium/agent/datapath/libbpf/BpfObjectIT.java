package io.jcilium.agent.datapath.libbpf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import io.jcilium.agent.datapath.DatapathObjects;
import io.jcilium.agent.datapath.KernelRequirements;
import io.jcilium.agent.datapath.Packets;
import io.jcilium.agent.datapath.TestLibbpf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Loads bpf_lxc.o into the kernel through jnr-ffi + libbpf and runs its programs on
 * crafted frames with BPF_PROG_TEST_RUN.
 */
class BpfObjectIT {

	private static final int METRIC_INGRESS = 1;

	private static final int TC_ACT_SHOT = 2;

	private static final int METRIC_EGRESS = 2;

	private BpfObject object;

	@BeforeEach
	void load() {
		KernelRequirements.requireBpf();
		this.object = BpfObject.open(TestLibbpf.get(), DatapathObjects.resolve(DatapathObjects.LXC));
		this.object.load();
	}

	@AfterEach
	void close() {
		if (this.object != null) {
			this.object.close();
		}
	}

	@Test
	void loadedObjectExposesItsMapsAndPrograms() {
		assertThat(this.object.map("ipcache").keySize()).isEqualTo(24);
		assertThat(this.object.map("metrics").isPerCpu()).isTrue();
		assertThat(this.object.program("from_container").fd()).isPositive();
		assertThat(this.object.program("to_container").fd()).isPositive();
		assertThatThrownBy(() -> this.object.map("no_such_map")).isInstanceOf(LibBpfException.class)
			.hasMessageContaining("no_such_map");
	}

	@Test
	void programWithoutEndpointConfigurationDropsInsteadOfGuessing() {
		BpfProgram program = this.object.program("from_container");
		byte[] frame = Packets.udp("10.0.0.1", "10.0.0.2", 40000, 53);

		BpfProgram.TestRunResult result = program.testRun(frame, 1);

		// loaded without an endpoint id, so no endpoint_config entry: upstream's
		// DROP_NO_CONFIG (165)
		assertThat(result.retval()).isEqualTo(TC_ACT_SHOT);
		assertThat(result.packetOut()).isEqualTo(frame);
		assertThat(metricsCount(165, METRIC_EGRESS)).isEqualTo(1);
	}

	@Test
	void ipv4HeaderWithBadLengthIsDroppedAsInvalid() {
		BpfProgram program = this.object.program("from_container");
		byte[] frame = Packets.udp("10.0.0.1", "10.0.0.2", 40000, 53);
		// IHL 4: shorter than the 20-byte minimum header (RFC 791)
		frame[14] = 0x44;

		assertThat(program.testRun(frame, 1).retval()).isEqualTo(TC_ACT_SHOT);
		assertThat(metricsCount(134, METRIC_EGRESS)).isEqualTo(1);
	}

	@Test
	void nonIpFramesTowardsAnEndpointWithoutConfigurationAreDropped() {
		// ARP towards a configured pod passes (LxcHardeningIT); an unconfigured one gets
		// nothing
		assertThat(this.object.program("to_container").testRun(Packets.arp(), 1).retval()).isEqualTo(TC_ACT_SHOT);
		assertThat(metricsCount(165, METRIC_INGRESS)).isEqualTo(1);
	}

	private long metricsCount(int reason, int dir) {
		BpfMap metrics = this.object.map("metrics");
		byte[] key = new byte[8];
		key[0] = (byte) reason;
		key[1] = (byte) dir;
		byte[] values = metrics.lookup(key);
		if (values == null) {
			return 0;
		}
		ByteBuffer buffer = ByteBuffer.wrap(values).order(ByteOrder.nativeOrder());
		long total = 0;
		for (int offset = 0; offset < values.length; offset += metrics.perCpuStride()) {
			total += buffer.getLong(offset);
		}
		return total;
	}

}
