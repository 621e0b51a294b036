package io.jcilium.cli.identity;

import java.io.IOException;

import io.jcilium.cli.ExitCodes;
import io.jcilium.cli.Golden;
import io.jcilium.cli.TestConsole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code identity list|get} as a user runs them, against a gRPC server behind
 * identity.v1, the contract identity-service serves; the output compared whole with
 * golden files.
 */
@ExtendWith(OutputCaptureExtension.class)
class IdentityCommandsTest {

	private TestIdentityService identities;

	@BeforeEach
	void start() throws IOException {
		this.identities = new TestIdentityService();
	}

	@AfterEach
	void stop() {
		this.identities.close();
	}

	@Test
	void listPrintsUpstreamsTableSortedByIdOneLabelPerLine(CapturedOutput output) {
		int exitCode = TestConsole.runPlaintext(this.identities.property(), "identity", "list");

		assertThat(exitCode).isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).isEqualTo(Golden.read("identity-list.txt"));
	}

	@Test
	void listAsJsonAndYamlCarriesEveryField(CapturedOutput output) {
		assertThat(TestConsole.runPlaintext(this.identities.property(), "identity", "list", "-o", "json"))
			.isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).isEqualTo(Golden.read("identity-list.json"));

		assertThat(TestConsole.runPlaintext(this.identities.property(), "identity", "list", "-o", "yaml"))
			.isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).isEqualTo(Golden.read("identity-list.json") + Golden.read("identity-list.yaml"));
	}

	@Test
	void getPrintsOneIdentity(CapturedOutput output) {
		int exitCode = TestConsole.runPlaintext(this.identities.property(), "identity", "get", "23456");

		assertThat(exitCode).isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).isEqualTo("""
				ID      LABELS
				23456   k8s:app=db
				        k8s:io.kubernetes.pod.namespace=shop
				""");
	}

	@Test
	void anUnknownIdentityFailsInOneLine(CapturedOutput output) {
		int exitCode = TestConsole.runPlaintext(this.identities.property(), "identity", "get", "777");

		assertThat(exitCode).isEqualTo(ExitCodes.FAILURE);
		assertThat(output.getErr()).isEqualTo("identity 777 not found in identity-service at "
				+ this.identities.property().substring("--jcilium.services.identity.grpc=".length())
				+ "; 'identity list' shows the identities\n");
	}

	@Test
	void aBadIdOrOutputFormatIsAUsageError(CapturedOutput output) {
		assertThat(TestConsole.runPlaintext(this.identities.property(), "identity", "get", "web"))
			.isEqualTo(ExitCodes.USAGE);
		assertThat(output.getErr()).contains("ID must be a numeric identity (1-4294967295), not 'web'");

		assertThat(TestConsole.runPlaintext(this.identities.property(), "identity", "list", "-o", "xml"))
			.isEqualTo(ExitCodes.USAGE);
		assertThat(output.getErr()).contains("-o 'xml' is not an output format: use one of table, json, yaml");
	}

	@Test
	void anUnreachableServiceFailsInOneLineWithoutAStackTrace(CapturedOutput output) {
		this.identities.close();

		int exitCode = TestConsole.runPlaintext(this.identities.property(), "identity", "list");

		assertThat(exitCode).isEqualTo(ExitCodes.FAILURE);
		assertThat(output.getErr().strip()).startsWith("identity-service at 127.0.0.1:")
			.contains("cannot reach it")
			.doesNotContain("\n")
			.doesNotContain("Exception");
		assertThat(output.getOut()).isEmpty();
	}

}
