package io.jcilium.agent.cni;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.jcilium.testsupport.Prerequisites;

/**
 * Skips a test that needs root and tools, except in CI, where a missing prerequisite
 * fails the test instead of hiding it ({@link Prerequisites}).
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
			if (!Prerequisites.onPath(tool)) {
				missing.add(tool + " on PATH");
			}
		}
		Prerequisites.require(missing.isEmpty(),
				"needs " + String.join(", ", missing) + " (run scripts/setup.sh as root)");
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

}
