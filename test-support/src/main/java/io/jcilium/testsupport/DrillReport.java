package io.jcilium.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One row of the drills table ({@code scripts/drills.sh}): a drill test writes what it
 * measured to {@code target/drills/<drill>.tsv} of its module, and the script prints
 * every row it finds after the build.
 */
public final class DrillReport {

	private DrillReport() {
	}

	/**
	 * Records a drill's figures.
	 * @param drill the drill's name, e.g. "redis-killed"
	 * @param refusedCalls calls refused while the failure lasted (retried by callers)
	 * @param duplicates numbers answered for two label sets
	 * @param lost acknowledged allocations the store no longer has afterwards
	 * @param convergeMillis the longest pause in answers from the failure on
	 * @param leaked numbers the store holds that no caller was answered
	 */
	public static void record(String drill, long refusedCalls, long duplicates, long lost, long convergeMillis,
			long leaked) {
		try {
			Path directory = Files.createDirectories(Path.of("target", "drills"));
			Files.writeString(directory.resolve(drill + ".tsv"),
					String.join("\t", drill, Long.toString(refusedCalls), Long.toString(duplicates),
							Long.toString(lost), Long.toString(convergeMillis), Long.toString(leaked)) + "\n");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
