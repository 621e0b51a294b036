package io.jcilium.agent.node.routing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs iproute2's {@code ip} with a bound on each run, for the few commands a node event
 * or the agent's start needs (routes to other nodes, the overlay device): far from any
 * per-packet or per-pod path, so forking {@code ip} is cheap enough.
 */
public final class IpCommand {

	private final List<String> ipCommand;

	private final Duration timeout;

	/**
	 * @param ipCommand how to run {@code ip} in this node's network namespace, e.g.
	 * {@code [ip]}
	 * @param timeout bound on each run
	 */
	public IpCommand(List<String> ipCommand, Duration timeout) {
		this.ipCommand = List.copyOf(ipCommand);
		this.timeout = timeout;
	}

	/**
	 * Runs one command.
	 * @param what what it does, for the error message
	 * @param args the arguments after {@code ip}
	 * @return its output
	 * @throws RouteException when it cannot start, exits non-zero or runs too long
	 */
	public String run(String what, String... args) {
		List<String> command = new ArrayList<>(this.ipCommand);
		command.addAll(List.of(args));
		Path output = null;
		try {
			// A file, not a pipe: a hung command cannot block the read past the timeout.
			output = Files.createTempFile("jcilium-ip-", ".out");
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			process.getOutputStream().close();
			if (!process.waitFor(this.timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				throw new RouteException(what + " timed out after " + this.timeout.toMillis() + " ms");
			}
			String text = Files.readString(output, StandardCharsets.UTF_8);
			if (process.exitValue() != 0) {
				throw new RouteException(what + " failed: " + String.join(" ", command) + " exited with "
						+ process.exitValue() + ": " + text.strip());
			}
			return text;
		}
		catch (IOException ex) {
			throw new RouteException(what + " failed: cannot run " + String.join(" ", command) + ": " + ex.getMessage(),
					ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RouteException(what + " was interrupted", ex);
		}
		finally {
			if (output != null) {
				try {
					Files.deleteIfExists(output);
				}
				catch (IOException ignored) {
					// a temporary file left behind is harmless
				}
			}
		}
	}

}
