package io.jcilium.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Expected console output kept in {@code src/test/resources/golden/}: the exact text a
 * user sees, so a changed column, order or format shows as a diff in review.
 */
public final class Golden {

	private Golden() {
	}

	public static String read(String name) {
		try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
			if (in == null) {
				throw new IllegalStateException("no golden file golden/" + name + " on the test class path");
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
