package io.jcilium.cli.ipam;

import java.io.IOException;

import io.jcilium.cli.ExitCodes;
import io.jcilium.cli.TestConsole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ipam pools|nodes} as a user runs them, against a gRPC server behind ipam.v1, the
 * contract ipam-service serves; the output compared whole.
 */
@ExtendWith(OutputCaptureExtension.class)
class IpamCommandsTest {

	private TestIpamService ipam;

	@BeforeEach
	void start() throws IOException {
		this.ipam = new TestIpamService();
	}

	@AfterEach
	void stop() {
		this.ipam.close();
	}

	@Test
	void poolsPrintsEachPoolsCidrsBlockSizesAndUse(CapturedOutput output) {
		int exitCode = TestConsole.runPlaintext(this.ipam.property(), "ipam", "pools");

		assertThat(exitCode).isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).isEqualTo("""
				POOL      CIDRS          MASK (IPv4)   MASK (IPv6)   BLOCKS USED   BLOCKS TOTAL   USE    SOURCE
				cluster   10.0.0.0/16    /24           -             2             256            0.8%   config
				blue      10.20.0.0/16   /26           /64           3             66560          0.0%   api
				          fd00:20::/48
				empty                    -             -             0             0              -      api
				""");
	}

	@Test
	void nodesPrintsPodCidrsAndPoolBlocksPerNode(CapturedOutput output) {
		int exitCode = TestConsole.runPlaintext(this.ipam.property(), "ipam", "nodes");

		assertThat(exitCode).isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).isEqualTo("""
				NODE     POD CIDRS     POOL   POOL BLOCKS
				node-a   10.0.1.0/24
				node-b   10.0.2.0/24   blue   10.20.0.0/26
				                       blue   10.20.0.64/26
				                       blue   fd00:20::/64
				""");
	}

	@Test
	void jsonCarriesEveryField(CapturedOutput output) {
		assertThat(TestConsole.runPlaintext(this.ipam.property(), "ipam", "nodes", "-o", "json"))
			.isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).isEqualTo("""
				[
				  {
				    "node": "node-a",
				    "podCIDRs": [
				      "10.0.1.0/24"
				    ],
				    "poolBlocks": []
				  },
				  {
				    "node": "node-b",
				    "podCIDRs": [
				      "10.0.2.0/24"
				    ],
				    "poolBlocks": [
				      {
				        "pool": "blue",
				        "cidr": "10.20.0.0/26"
				      },
				      {
				        "pool": "blue",
				        "cidr": "10.20.0.64/26"
				      },
				      {
				        "pool": "blue",
				        "cidr": "fd00:20::/64"
				      }
				    ]
				  }
				]
				""");
	}

	@Test
	void poolsAsYamlCarriesUseAndSource(CapturedOutput output) {
		assertThat(TestConsole.runPlaintext(this.ipam.property(), "ipam", "pools", "-o", "yaml"))
			.isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).contains("""
				- name: blue
				  cidrs:
				  - 10.20.0.0/16
				  - fd00:20::/48
				  ipv4MaskSize: 26
				  ipv6MaskSize: 64
				  blocksInUse: 3
				  blocksTotal: 66560
				  configured: false
				""");
	}

	@Test
	void anUnreachableServiceFailsInOneLineWithoutAStackTrace(CapturedOutput output) {
		this.ipam.close();

		int exitCode = TestConsole.runPlaintext(this.ipam.property(), "ipam", "pools");

		assertThat(exitCode).isEqualTo(ExitCodes.FAILURE);
		assertThat(output.getErr().strip()).startsWith("ipam-service at 127.0.0.1:")
			.contains("cannot reach it")
			.contains("'status ipam' checks")
			.doesNotContain("\n")
			.doesNotContain("Exception");
		assertThat(output.getOut()).isEmpty();
	}

	@Test
	void aBadOutputFormatIsAUsageError(CapturedOutput output) {
		assertThat(TestConsole.runPlaintext(this.ipam.property(), "ipam", "nodes", "-o", "xml"))
			.isEqualTo(ExitCodes.USAGE);
		assertThat(output.getErr()).contains("-o 'xml' is not an output format");
	}

}
