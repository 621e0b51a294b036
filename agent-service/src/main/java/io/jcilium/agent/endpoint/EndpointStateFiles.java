package io.jcilium.agent.endpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.jcilium.agent.state.AtomicStateFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * One small JSON file per endpoint ({@code <id>.json}) in the state directory, written
 * through {@link AtomicStateFile} so a crash leaves either the old or the new version,
 * never half of one. Without a directory nothing is kept (tests, or an agent that is not
 * meant to restore).
 */
final class EndpointStateFiles {

	private static final Logger logger = LoggerFactory.getLogger(EndpointStateFiles.class);

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private final Path directory;

	/**
	 * @param directory where the files live, or {@code null} to keep nothing
	 */
	EndpointStateFiles(Path directory) {
		this.directory = directory;
	}

	/** Whether a previous agent kept endpoints here (the directory exists). */
	boolean inUse() {
		return this.directory != null && Files.isDirectory(this.directory);
	}

	void write(Endpoint endpoint) {
		if (this.directory == null || endpoint.link() == null) {
			return;
		}
		Path file = file(endpoint.id());
		try {
			AtomicStateFile.write(file, mapper.writeValueAsBytes(EndpointRecord.of(endpoint)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot write the state of endpoint " + endpoint.id() + " to " + file, ex);
		}
	}

	void delete(int id) {
		if (this.directory == null) {
			return;
		}
		try {
			Files.deleteIfExists(file(id));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot delete the state of endpoint " + id + " in " + this.directory, ex);
		}
	}

	/**
	 * Every endpoint written before; a file that cannot be read is logged and skipped
	 * (and left for inspection), leftover temporary files are removed.
	 */
	List<EndpointRecord> readAll() {
		List<EndpointRecord> records = new ArrayList<>();
		if (!inUse()) {
			return records;
		}
		try (DirectoryStream<Path> files = Files.newDirectoryStream(this.directory, "*.json*")) {
			for (Path file : files) {
				if (file.getFileName().toString().endsWith(AtomicStateFile.TEMPORARY_SUFFIX)) {
					Files.deleteIfExists(file);
					continue;
				}
				try {
					records.add(mapper.readValue(file.toFile(), EndpointRecord.class));
				}
				catch (JacksonException ex) {
					logger.warn("endpoint state file {} is unreadable and is not restored: {}", file,
							ex.getOriginalMessage());
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read endpoint state from " + this.directory, ex);
		}
		return records;
	}

	private Path file(int id) {
		return this.directory.resolve(id + ".json");
	}

}
