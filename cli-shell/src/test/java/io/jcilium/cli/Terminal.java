package io.jcilium.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import io.jcilium.testsupport.Prerequisites;

/**
 * A real terminal for the packaged console: a tmux session on a tmux server of its own
 * (named per run, removed by {@link #close()}), typed at with {@code send-keys} as a
 * person would and read back with {@code capture-pane}. The pane stays after its program
 * ends, so the exit status can be read. Waits are bounded, never timed.
 */
public final class Terminal implements AutoCloseable {

	private static final String SESSION = "console";

	private final String socket = "jcilium-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

	/** Where the console's exit status is written once it has ended. */
	private final Path exitStatus;

	private Terminal(Path exitStatus) {
		this.exitStatus = exitStatus;
	}

	/**
	 * Runs the packaged console in a new 200x60 terminal.
	 * @param home the HOME (and XDG config home) of the console, for its history file
	 * @param arguments the console's arguments
	 * @return the terminal
	 */
	public static Terminal console(Path home, String... arguments) throws Exception {
		Prerequisites.require(Prerequisites.onPath("tmux"),
				"tmux is needed to drive the console in a terminal (scripts/setup.sh installs it)");
		Terminal terminal = new Terminal(home.resolve(".console-exit-status"));
		// bash runs the console and writes its exit status: tmux's own record of it
		// (pane_dead_status) was sometimes still empty a minute after the console had
		// ended. A console that ends by Ctrl-C exits with 130 itself, so bash goes on.
		List<String> command = new ArrayList<>(List.of("new-session", "-d", "-s", SESSION, "-x", "200", "-y", "60",
				"-e", "HOME=" + home, "-e", "XDG_CONFIG_HOME=" + home.resolve(".config"), "bash", "-c",
				"\"$@\"; echo $? > " + terminal.exitStatus + ".tmp && mv " + terminal.exitStatus + ".tmp "
						+ terminal.exitStatus,
				"console", Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
				consoleJar().toString(), TestConsole.PLAINTEXT));
		command.addAll(List.of(arguments));
		command.addAll(List.of(";", "set-option", "-t", SESSION, "remain-on-exit", "on"));
		terminal.tmux(true, command.toArray(String[]::new));
		return terminal;
	}

	/**
	 * Types keys: text, or tmux key names such as {@code Tab}, {@code Enter},
	 * {@code C-c}.
	 */
	public void send(String... keys) throws Exception {
		List<String> command = new ArrayList<>(List.of("send-keys", "-t", SESSION));
		command.addAll(List.of(keys));
		tmux(true, command.toArray(String[]::new));
	}

	/**
	 * Waits until the screen shows what {@code done} looks for, or fails saying what it
	 * shows.
	 */
	public void await(String what, Duration bound, Predicate<String> done) throws Exception {
		long deadline = System.nanoTime() + bound.toNanos();
		String screen = screen();
		while (!done.test(screen)) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("no " + what + " within " + bound + "; the terminal shows:\n" + screen);
			}
			Thread.sleep(200);
			screen = screen();
		}
	}

	/**
	 * Waits for the console to end.
	 * @return its exit status
	 */
	public int awaitExit(Duration bound) throws Exception {
		long deadline = System.nanoTime() + bound.toNanos();
		while (!Files.exists(this.exitStatus)) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError(
						"the console did not end within " + bound + "; the terminal shows:\n" + screen());
			}
			Thread.sleep(200);
		}
		return Integer.parseInt(Files.readString(this.exitStatus).strip());
	}

	/**
	 * The screen and what scrolled off it, lines joined as written, trailing blanks cut.
	 */
	public String screen() throws Exception {
		return tmux(true, "capture-pane", "-p", "-J", "-S", "-200", "-t", SESSION).stripTrailing();
	}

	/** The last line of a screen, without trailing blanks. */
	public static String lastLine(String screen) {
		String[] lines = screen.stripTrailing().split("\n");
		return lines[lines.length - 1].stripTrailing();
	}

	@Override
	public void close() throws Exception {
		tmux(false, "kill-server");
	}

	private String pane(String format) throws Exception {
		return tmux(true, "display-message", "-p", "-t", SESSION, format).strip();
	}

	private static Path consoleJar() throws IOException {
		try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("target"), "cli-shell-*.jar")) {
			for (Path jar : jars) {
				String name = jar.getFileName().toString();
				if (!name.endsWith("-plain.jar") && !name.endsWith("-sources.jar")) {
					return jar.toAbsolutePath();
				}
			}
		}
		throw new AssertionError("no packaged console in target/: this test runs after 'package' (mvn verify)");
	}

	private String tmux(boolean mustSucceed, String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of("tmux", "-L", this.socket));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		int exitCode = process.waitFor();
		if (mustSucceed && exitCode != 0) {
			throw new AssertionError(String.join(" ", command) + " failed (" + exitCode + "): " + output);
		}
		return output;
	}

}
