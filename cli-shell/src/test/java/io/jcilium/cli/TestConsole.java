package io.jcilium.cli;

/**
 * Runs the console in-process, as {@code main()} does, for tests in other packages.
 */
public final class TestConsole {

	private TestConsole() {
	}

	public static int run(String... args) {
		return CliShellApplication.run(args);
	}

}
