package io.jcilium.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import org.springframework.shell.core.command.Command;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.CommandOption;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.DefaultCommandParser;
import org.springframework.shell.core.command.ExitStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exit codes and messages of one-shot commands, against Spring Shell's real parser and
 * registry with small commands whose outcome each test chooses.
 */
class OneShotExecutorTest {

	private final StringWriter out = new StringWriter();

	private final StringWriter err = new StringWriter();

	@Test
	void aSuccessfulCommandExitsZeroWithItsOutput() {
		int code = run("greet --name world", command("greet", (context) -> {
			context.outputWriter().println("hello " + context.getOptionByLongName("name").value());
			return ExitStatus.OK;
		}, "name"));

		assertThat(code).isEqualTo(ExitCodes.OK);
		assertThat(this.out).hasToString("hello world" + System.lineSeparator());
		assertThat(this.err.toString()).isEmpty();
	}

	@Test
	void anUnknownCommandIsAUsageError() {
		int code = run("stauts", command("status", (context) -> ExitStatus.OK));

		assertThat(code).isEqualTo(ExitCodes.USAGE);
		assertThat(this.err.toString()).contains("Unknown command 'stauts'").contains("Run 'help'");
	}

	@Test
	void aGroupWithoutItsSubCommandIsAUsageErrorNamingTheSubCommands() {
		int code = run("bpf", command("bpf ct list", (context) -> ExitStatus.OK),
				command("bpf policy get", (context) -> ExitStatus.OK));

		assertThat(code).isEqualTo(ExitCodes.USAGE);
		assertThat(this.err.toString()).contains("'bpf' needs a sub-command: bpf ct list, bpf policy get");
	}

	@Test
	void anUnknownOptionIsAUsageErrorInsteadOfBeingIgnored() {
		int code = run("status --verbose=true", command("status", (context) -> ExitStatus.OK, "timeout"));

		assertThat(code).isEqualTo(ExitCodes.USAGE);
		assertThat(this.err.toString()).contains("Unknown option --verbose for 'status'");
	}

	@Test
	void anOptionWithoutItsValueIsAUsageError() {
		int code = run("status --timeout", command("status", (context) -> ExitStatus.OK, "timeout"));

		assertThat(code).isEqualTo(ExitCodes.USAGE);
		assertThat(this.err.toString()).contains("Invalid command line")
			.contains("requires a value")
			.contains("'<command> --help'");
	}

	@Test
	void helpOnACommandIsAlwaysAccepted() {
		int code = run("status --help", command("status", (context) -> ExitStatus.OK));

		assertThat(code).isEqualTo(ExitCodes.OK);
		assertThat(this.err.toString()).isEmpty();
	}

	@Test
	void aCommandThatFailsOnPurposeExitsOneWithItsMessageOnly() {
		int code = run("status", command("status", (context) -> {
			throw new CommandFailedException("1 of 6 health checks failed: identity DOWN");
		}));

		assertThat(code).isEqualTo(ExitCodes.FAILURE);
		assertThat(this.err).hasToString("1 of 6 health checks failed: identity DOWN" + System.lineSeparator());
	}

	@Test
	void aRejectedArgumentIsAUsageError() {
		int code = run("status nosuch", command("status", (context) -> {
			throw new IllegalArgumentException("unknown service 'nosuch'");
		}));

		assertThat(code).isEqualTo(ExitCodes.USAGE);
		assertThat(this.err.toString()).contains("Invalid arguments for 'status': unknown service 'nosuch'");
	}

	@Test
	void anUnexpectedExceptionExitsOneWithItsRootCause() {
		int code = run("status", command("status", (context) -> {
			throw new IllegalStateException("wrapper", new java.io.IOException("disk on fire"));
		}));

		assertThat(code).isEqualTo(ExitCodes.FAILURE);
		assertThat(this.err.toString()).contains("Command 'status' failed: disk on fire");
	}

	@Test
	void aNonOkExitStatusExitsOne() {
		int code = run("status", command("status", (context) -> ExitStatus.EXECUTION_ERROR));

		assertThat(code).isEqualTo(ExitCodes.FAILURE);
		assertThat(this.err.toString()).contains("Command 'status' failed: EXECUTION_ERROR");
	}

	private int run(String commandLine, Command... commands) {
		CommandRegistry registry = new CommandRegistry();
		List.of(commands).forEach(registry::registerCommand);
		OneShotExecutor executor = new OneShotExecutor(new DefaultCommandParser(registry), registry,
				new PrintWriter(this.out), new PrintWriter(this.err));
		return executor.execute(commandLine);
	}

	private static Command command(String name, Function<CommandContext, ExitStatus> body, String... options) {
		List<CommandOption> declared = List.of(options)
			.stream()
			.map((option) -> CommandOption.with().longName(option).type(String.class).build())
			.toList();
		return new Command() {

			@Override
			public String getName() {
				return name;
			}

			@Override
			public List<CommandOption> getOptions() {
				return declared;
			}

			@Override
			public ExitStatus execute(CommandContext context) {
				return body.apply(context);
			}

		};
	}

}
