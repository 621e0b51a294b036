package io.jcilium.cli.policy;

import java.nio.file.Path;

import io.jcilium.cli.ExitCodes;
import io.jcilium.cli.TestConsole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code policy trace --offline} as a user runs it: the console in one-shot mode over the
 * example policies and pods shipped in {@code examples/policy-trace}.
 */
@ExtendWith(OutputCaptureExtension.class)
class PolicyTraceCommandTest {

	private static final Path EXAMPLE = Path.of("..", "examples", "policy-trace");

	@Test
	void printsTheReachabilityMatrixAndASummary(CapturedOutput output) {
		int exitCode = TestConsole.run("policy", "trace", "--offline", "--policies",
				EXAMPLE.resolve("policies").toString(), "--pods", EXAMPLE.resolve("pods.yaml").toString(), "--ports",
				"8080/TCP,9090/TCP");

		assertThat(exitCode).isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).contains("shop/frontend shop/backend 8080/TCP allowed")
			.contains("shop/frontend shop/backend 9090/TCP denied")
			.contains("ops/monitor shop/backend 9090/TCP allowed")
			.contains("ops/monitor shop/backend 8080/TCP denied")
			// Nothing selects the frontend, so it stays default-allow.
			.contains("shop/backend shop/frontend 8080/TCP allowed")
			.containsPattern("summary: .*");
	}

	@Test
	void aMissingPolicyDirectoryIsAUsageErrorNamingIt(CapturedOutput output) {
		int exitCode = TestConsole.run("policy", "trace", "--offline", "--policies", "no-such-dir", "--pods",
				EXAMPLE.resolve("pods.yaml").toString());

		assertThat(exitCode).isEqualTo(ExitCodes.USAGE);
		assertThat(output.getErr()).contains("--policies no-such-dir: no such directory");
	}

	@Test
	void aBadPortListIsAUsageError(CapturedOutput output) {
		int exitCode = TestConsole.run("policy", "trace", "--offline", "--policies",
				EXAMPLE.resolve("policies").toString(), "--pods", EXAMPLE.resolve("pods.yaml").toString(), "--ports",
				"80/XYZ");

		assertThat(exitCode).isEqualTo(ExitCodes.USAGE);
		assertThat(output.getErr()).contains("XYZ");
	}

}
