package io.jcilium.agent.link;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one iproute2/util-linux command with a timeout that holds. Output goes to a
 * temporary file, not a pipe: reading a pipe to its end blocks until every process
 * holding its write end exits, so a reader placed before {@code waitFor} (as this agent
 * once had) turns the timeout into "forever" for a command that hangs. On timeout the
 * command and everything it started are killed.
 */
final class CommandRunner {

	private static final Logger logger = LoggerFactory.getLogger(CommandRunner.class);

	/** Bound on the output kept for an error message. */
	private static final int MAX_OUTPUT_CHARS = 4000;

	private final Duration timeout;

	CommandRunner(Duration timeout) {
		this.timeout = timeout;
	}

	/**
	 * @param command the command and its arguments
	 * @param stdin what to feed it (an {@code ip -batch} script), may be empty
	 * @param what what the command does, for the error message
	 * @throws LinkException when it cannot start, exits non-zero or runs too long
	 */
	void run(List<String> command, String stdin, String what) {
		Path output;
		try {
			output = Files.createTempFile("jcilium-cmd-", ".out");
		}
		catch (IOException ex) {
			throw new LinkException(what + " failed: cannot create a file for the output: " + ex.getMessage(), ex);
		}
		try {
			runTo(output, command, stdin, what);
		}
		finally {
			try {
				Files.deleteIfExists(output);
			}
			catch (IOException ex) {
				logger.debug("cannot delete {}", output, ex);
			}
		}
	}

	private void runTo(Path output, List<String> command, String stdin, String what) {
		Process process;
		try {
			process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
		}
		catch (IOException ex) {
			throw new LinkException(what + " failed: cannot run " + command.get(0)
					+ " (is iproute2/util-linux installed?): " + ex.getMessage(), ex);
		}
		try (OutputStream in = process.getOutputStream()) {
			in.write(stdin.getBytes(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			logger.debug("{}: stdin closed early", what, ex);
		}
		try {
			if (!process.waitFor(this.timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				kill(process);
				throw new LinkException(what + " timed out after " + this.timeout.toMillis() + " ms ("
						+ String.join(" ", command) + " was killed)");
			}
			if (process.exitValue() != 0) {
				throw new LinkException(what + " failed (" + String.join(" ", command) + " exit " + process.exitValue()
						+ "): " + read(output));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			kill(process);
			throw new LinkException(what + " interrupted", ex);
		}
	}

	private static void kill(Process process) {
		process.descendants().forEach(ProcessHandle::destroyForcibly);
		process.destroyForcibly();
	}

	private static String read(Path output) {
		try {
			String text = Files.readString(output, StandardCharsets.UTF_8).strip();
			return (text.length() > MAX_OUTPUT_CHARS) ? text.substring(0, MAX_OUTPUT_CHARS) + "..." : text;
		}
		catch (IOException ex) {
			return "(output unreadable: " + ex.getMessage() + ")";
		}
	}

}
