package io.jcilium.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CliArgumentsTest {

	@Test
	void noArgumentsMeansInteractive() {
		CliArguments arguments = CliArguments.parse();

		assertThat(arguments.interactive()).isTrue();
		assertThat(arguments.properties()).isEmpty();
	}

	@Test
	void leadingDottedPropertiesGoToSpringAndTheRestIsTheCommand() {
		CliArguments arguments = CliArguments.parse("--jcilium.services.identity.url=http://10.0.0.5:8281",
				"--jcilium.cli.status.timeout=5s", "status", "identity", "--timeout=1s");

		assertThat(arguments.properties()).containsExactly("--jcilium.services.identity.url=http://10.0.0.5:8281",
				"--jcilium.cli.status.timeout=5s");
		assertThat(arguments.interactive()).isFalse();
		assertThat(arguments.commandLine()).isEqualTo("status identity --timeout=1s");
	}

	@Test
	void anUndottedOptionBeforeTheCommandIsPartOfTheCommandNotAProperty() {
		CliArguments arguments = CliArguments.parse("--timeout=1s", "status");

		assertThat(arguments.properties()).isEmpty();
		assertThat(arguments.commandLine()).isEqualTo("--timeout=1s status");
	}

	@Test
	void onlyPropertiesMeansInteractiveWithThoseProperties() {
		CliArguments arguments = CliArguments.parse("--jcilium.services.relay.grpc=relay:4245");

		assertThat(arguments.interactive()).isTrue();
		assertThat(arguments.properties()).hasSize(1);
	}

	@Test
	void wordsTheUserQuotedStayOneWord() {
		CliArguments arguments = CliArguments.parse("policy", "get", "app=web tier", "say \"hi\"");

		assertThat(arguments.commandLine()).isEqualTo("policy get \"app=web tier\" \"say \\\"hi\\\"\"");
	}

	@Test
	void helpAndVersionFlagsAloneAreTheirCommands() {
		assertThat(CliArguments.parse("--help").commandLine()).isEqualTo("help");
		assertThat(CliArguments.parse("-h").commandLine()).isEqualTo("help");
		assertThat(CliArguments.parse("--version").commandLine()).isEqualTo("version");
	}

}
