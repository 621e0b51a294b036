package io.jcilium.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The one rule for a test whose prerequisite (root, a kernel feature, redis-server,
 * kubectl, podman...) is missing: outside CI it is skipped with a message naming what it
 * needs; in CI ({@code CI} set to {@code true} in any case, as {@code .ci/run} does) it
 * fails, so a CI run can never pass by skipping.
 */
public final class Prerequisites {

	private Prerequisites() {
	}

	/**
	 * Whether this run is CI: the environment variable {@code CI} is "true", any case.
	 */
	public static boolean inCi() {
		return isCi(System.getenv("CI"));
	}

	/**
	 * Skips the test (outside CI) or fails it (in CI) because something it needs is
	 * missing.
	 * @param message what is missing and how to get it
	 */
	public static void missing(String message) {
		missing(message, System.getenv("CI"));
	}

	/** {@link #missing(String)} unless {@code present}. */
	public static void require(boolean present, String message) {
		if (!present) {
			missing(message);
		}
	}

	/** Whether an executable of that name is on the PATH. */
	public static boolean onPath(String executable) {
		String path = System.getenv("PATH");
		for (String dir : (path != null) ? path.split(File.pathSeparator) : new String[0]) {
			if (new File(dir, executable).canExecute()) {
				return true;
			}
		}
		return false;
	}

	/**
	 * {@link #missing(String)} unless this process runs as root and every tool is on the
	 * PATH; the message names all that is missing.
	 * @param tools the executables the test runs
	 */
	public static void requireRootAnd(String... tools) {
		List<String> missing = new ArrayList<>();
		if (!isRoot()) {
			missing.add("root");
		}
		for (String tool : tools) {
			if (!onPath(tool)) {
				missing.add(tool + " on PATH");
			}
		}
		require(missing.isEmpty(), "needs " + String.join(", ", missing) + " (run scripts/setup.sh as root)");
	}

	private static boolean isRoot() {
		try {
			return Files.readAllLines(Path.of("/proc/self/status"))
				.stream()
				.anyMatch((line) -> line.matches("Uid:\\s+0\\s.*"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static void missing(String message, String ciVariable) {
		if (isCi(ciVariable)) {
			Assertions.fail(message + " (CI=true: failing instead of skipping)");
		}
		Assumptions.abort(message);
	}

	static boolean isCi(String ciVariable) {
		return ciVariable != null && "true".equalsIgnoreCase(ciVariable.trim());
	}

}
