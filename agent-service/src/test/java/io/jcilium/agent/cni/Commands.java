package io.jcilium.agent.cni;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command for a test: stdin in, stdout back (stderr inherited, so it shows in the
 * test log).
 */
final class Commands {

	private Commands() {
	}

	record Result(int exitCode, String output) {

	}

	static Result run(List<String> command, String stdin) throws IOException {
		return run(command, stdin, Map.of());
	}

	static Result run(List<String> command, String stdin, Map<String, String> environment) throws IOException {
		ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
		builder.environment().putAll(environment);
		Process process = builder.start();
		try (OutputStream in = process.getOutputStream()) {
			in.write(stdin.getBytes(StandardCharsets.UTF_8));
		}
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		try {
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IOException(String.join(" ", command) + " did not finish in 30 s");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted", ex);
		}
		return new Result(process.exitValue(), output);
	}

	/** Runs and returns stdout, failing on a non-zero exit. */
	static String ok(List<String> command) throws IOException {
		Result result = run(command, "");
		if (result.exitCode() != 0) {
			throw new IOException(String.join(" ", command) + " exited " + result.exitCode() + ": " + result.output());
		}
		return result.output();
	}

}
