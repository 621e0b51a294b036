package io.jcilium.cli;

import java.util.function.Supplier;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.shell.core.ShellRunner;

/**
 * Runs the console once the application is ready: the interactive shell when no command
 * was given, otherwise that one command, whose exit code it keeps for
 * {@code SpringApplication.exit}.
 */
class ConsoleRunner implements ApplicationRunner, ExitCodeGenerator {

	private final CliArguments arguments;

	private final Supplier<ShellRunner> interactiveShell;

	private final Supplier<OneShotExecutor> oneShot;

	private int exitCode = ExitCodes.OK;

	/**
	 * @param arguments what {@code main()} was given, or {@code null} in a test context,
	 * which then runs nothing
	 * @param interactiveShell Spring Shell's JLine loop, created only when needed
	 * @param oneShot the executor for one command, created only when needed
	 */
	ConsoleRunner(CliArguments arguments, Supplier<ShellRunner> interactiveShell, Supplier<OneShotExecutor> oneShot) {
		this.arguments = arguments;
		this.interactiveShell = interactiveShell;
		this.oneShot = oneShot;
	}

	@Override
	public void run(ApplicationArguments ignored) throws Exception {
		if (this.arguments == null) {
			return;
		}
		if (this.arguments.interactive()) {
			this.interactiveShell.get().run(new String[0]);
		}
		else {
			this.exitCode = this.oneShot.get().execute(this.arguments.commandLine());
		}
	}

	@Override
	public int getExitCode() {
		return this.exitCode;
	}

}
