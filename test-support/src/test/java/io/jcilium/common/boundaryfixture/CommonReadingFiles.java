package io.jcilium.common.boundaryfixture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test fixture: a common class that reads a file. */
public final class CommonReadingFiles {

	public String read(Path path) throws IOException {
		return Files.readString(path);
	}

}
