package io.jcilium.devapiserver;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files of the repository the tests read (the CRDs under helm/, the upstream examples).
 */
final class Repository {

	private Repository() {
	}

	static Path path(String relative) {
		String root = System.getProperty("jcilium.repository.root");
		Path base = (root != null) ? Path.of(root) : Path.of("..").toAbsolutePath().normalize();
		Path file = base.resolve(relative);
		if (!Files.exists(file)) {
			throw new IllegalStateException(file + " does not exist; run the tests from the repository's build");
		}
		return file;
	}

}
