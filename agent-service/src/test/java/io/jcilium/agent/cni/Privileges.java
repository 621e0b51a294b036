package io.jcilium.agent.cni;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assumptions;

import static org.assertj.core.api.Assertions.fail;

/**
 * Skips a test that needs root and tools, except in CI ({@code CI=true}), where a missing
 * prerequisite fails the test instead of hiding it.
 */
final class Privileges {

	private Privileges() {
	}

	static void requireRootAnd(String... tools) {
		List<String> missing = new ArrayList<>();
		if (!isRoot()) {
			missing.add("root");
		}
		for (String tool : tools) {
			if (!onPath(tool)) {
				missing.add(tool + " on PATH");
			}
		}
		if (missing.isEmpty()) {
			return;
		}
		String message = "needs " + String.join(", ", missing) + " (run scripts/setup.sh as root)";
		if ("true".equals(System.getenv("CI"))) {
			fail(message);
		}
		Assumptions.abort(message);
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

	private static boolean onPath(String tool) {
		String path = System.getenv().getOrDefault("PATH", "");
		for (String directory : path.split(":")) {
			if (Files.isExecutable(Path.of(directory, tool))) {
				return true;
			}
		}
		return false;
	}

}
