package io.jcilium.agent.hubble.history;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes whole segments, oldest first, that are past the retention time or beyond the
 * size limit; never the segment being written. A reader that has a removed segment open
 * still reads it to its end (the file lives until closed).
 */
final class HistoryRetention {

	private static final Logger log = LoggerFactory.getLogger(HistoryRetention.class);

	private final HistorySettings settings;

	HistoryRetention(HistorySettings settings) {
		this.settings = settings;
	}

	/**
	 * @param active the segment being written, kept whatever its age (may be null)
	 * @param nowMillis the time now
	 * @return how many segments were removed
	 */
	int apply(Segment active, long nowMillis) {
		List<Segment> segments = Segment.list(this.settings.directory());
		long total = 0;
		long[] sizes = new long[segments.size()];
		for (int i = 0; i < segments.size(); i++) {
			sizes[i] = segments.get(i).sizeBytes();
			total += sizes[i];
		}
		long oldestKept = nowMillis - this.settings.retention().toMillis();
		int removed = 0;
		for (int i = 0; i < segments.size(); i++) {
			Segment segment = segments.get(i);
			if (segment.path().equals((active != null) ? active.path() : null)) {
				continue;
			}
			boolean tooBig = total > this.settings.maxSizeBytes();
			if (!tooBig && segment.lastWriteMillis() >= oldestKept) {
				continue;
			}
			try {
				Files.deleteIfExists(segment.path());
				total -= sizes[i];
				removed++;
			}
			catch (IOException ex) {
				log.warn("cannot remove flow history segment {}: {}", segment.path(), ex.toString());
			}
		}
		return removed;
	}

}
