package io.jcilium.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;

/**
 * Runs the real kubectl against a kubeconfig (the dev API server's, for tests that check
 * what a user of upstream sees), with its own discovery cache directory so runs never
 * share cached discovery. Outside CI a missing kubectl skips the test; in CI it fails
 * ({@link Prerequisites}).
 */
public final class Kubectl {

	private final String binary;

	private final Path kubeconfig;

	private final Path cacheDir;

	private Kubectl(String binary, Path kubeconfig, Path cacheDir) {
		this.binary = binary;
		this.kubeconfig = kubeconfig;
		this.cacheDir = cacheDir;
	}

	public static Kubectl require(Path kubeconfig, Path cacheDir) {
		for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
			Path candidate = Path.of(dir, "kubectl");
			if (Files.isExecutable(candidate)) {
				return new Kubectl(candidate.toString(), kubeconfig, cacheDir);
			}
		}
		String missing = "kubectl is not installed (it is preinstalled on the project's machines; "
				+ "Debian: apt-get install kubectl from the Kubernetes repository)";
		Prerequisites.missing(missing);
		return null;
	}

	public Result run(String... args) {
		Process process = start(args);
		try {
			if (!process.waitFor(60, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				fail("kubectl " + String.join(" ", args) + " did not finish within 60 s");
			}
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
			return new Result(process.exitValue(), out, err);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Run and fail the test, showing kubectl's output, unless it succeeds. */
	public String ok(String... args) {
		Result result = run(args);
		if (result.exitCode() != 0) {
			fail("kubectl " + String.join(" ", args) + " exited " + result.exitCode() + ":\n" + result.err()
					+ result.out());
		}
		return result.out();
	}

	/** Start kubectl without waiting (for {@code get -w}); the caller destroys it. */
	public Process start(String... args) {
		List<String> command = new ArrayList<>(List.of(this.binary, "--kubeconfig", this.kubeconfig.toString(),
				"--cache-dir", this.cacheDir.toString()));
		command.addAll(List.of(args));
		try {
			return new ProcessBuilder(command).start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot run " + this.binary, ex);
		}
	}

	public record Result(int exitCode, String out, String err) {
	}

}
