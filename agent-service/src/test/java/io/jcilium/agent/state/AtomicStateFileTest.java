package io.jcilium.agent.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AtomicStateFileTest {

	@TempDir
	Path directory;

	@Test
	void replacesTheContentAndLeavesNoTemporaryFile() throws Exception {
		Path file = this.directory.resolve("sub/state");
		AtomicStateFile.write(file, bytes("old"));
		AtomicStateFile.write(file, bytes("new"));

		assertThat(file).hasContent("new");
		try (var files = Files.list(file.getParent())) {
			assertThat(files).containsExactly(file);
		}
	}

	@Test
	void aFailedReplaceKeepsTheOldContentAndCleansUp() throws Exception {
		// A non-empty directory in the target's place: the rename fails after the
		// temporary file was written and synced.
		Path file = this.directory.resolve("state");
		Files.createDirectories(file.resolve("occupied"));

		assertThatExceptionOfType(IOException.class).isThrownBy(() -> AtomicStateFile.write(file, bytes("new")));

		assertThat(file.resolve("occupied")).isDirectory();
		try (var files = Files.list(this.directory)) {
			assertThat(files).containsExactly(file);
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
