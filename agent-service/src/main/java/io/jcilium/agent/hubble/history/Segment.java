package io.jcilium.agent.hubble.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One append-only file of the history: the flows one agent run (its boot) wrote from one
 * ring position on. The name carries both, zero-padded, so segments sort by name in the
 * order they were written: by boot, then by position within the boot.
 *
 * @param path the file
 * @param boot the agent run that wrote it (greater for later runs)
 * @param firstPosition the ring position of its first record in that run
 */
record Segment(Path path, long boot, long firstPosition) {

	private static final Pattern NAME = Pattern.compile("flows-(\\d{19})-(\\d{19})\\.seg");

	static final Comparator<Segment> ORDER = Comparator.comparingLong(Segment::boot)
		.thenComparingLong(Segment::firstPosition);

	static Segment of(Path directory, long boot, long firstPosition) {
		return new Segment(directory.resolve(String.format("flows-%019d-%019d.seg", boot, firstPosition)), boot,
				firstPosition);
	}

	/**
	 * The segments in a directory, oldest first; files of other names are not ours and
	 * are left alone.
	 * @param directory the history directory
	 * @return the segments, empty if the directory does not exist
	 */
	static List<Segment> list(Path directory) {
		List<Segment> segments = new ArrayList<>();
		try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "flows-*.seg")) {
			for (Path file : files) {
				Matcher name = NAME.matcher(file.getFileName().toString());
				if (name.matches()) {
					segments.add(new Segment(file, Long.parseLong(name.group(1)), Long.parseLong(name.group(2))));
				}
			}
		}
		catch (NoSuchFileException ex) {
			return List.of();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot list the flow history in " + directory, ex);
		}
		segments.sort(ORDER);
		return segments;
	}

	/** Its size now, 0 if it is gone. */
	long sizeBytes() {
		try {
			return Files.size(this.path);
		}
		catch (IOException ex) {
			return 0;
		}
	}

	/**
	 * When it was last written, in epoch milliseconds: no record in it is younger (flows
	 * are written after they are observed). Long.MAX_VALUE if that cannot be read, so a
	 * segment is never taken for older than it is.
	 */
	long lastWriteMillis() {
		try {
			return Files.getLastModifiedTime(this.path).toMillis();
		}
		catch (IOException ex) {
			return Long.MAX_VALUE;
		}
	}

}
