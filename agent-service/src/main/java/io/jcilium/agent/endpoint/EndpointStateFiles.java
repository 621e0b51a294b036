package io.jcilium.agent.endpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.jcilium.agent.state.AtomicStateFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * One small JSON file per endpoint ({@code <id>.json}) in the state directory, written
 * through {@link AtomicStateFile} so a crash leaves either the old or the new version,
 * never half of one. Without a directory nothing is kept (tests, or an agent that is not
 * meant to restore).
 */
final class EndpointStateFiles {

	private static final Logger logger = LoggerFactory.getLogger(EndpointStateFiles.class);

	// Reads as the Jackson 3 mapper that wrote the files before: fields a newer record
	// carries are ignored, a null number is refused, nothing may follow the object.
	private static final JsonMapper mapper = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.build();

	private static final String REASON_SUFFIX = ".reason";

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
	 * Every endpoint written before; a file that cannot be read is quarantined
	 * ({@link #quarantine}), leftover temporary files are removed.
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
					EndpointRecord record = mapper.readValue(file.toFile(), EndpointRecord.class);
					if (file.getFileName().toString().equals(record.id() + ".json")) {
						records.add(record);
					}
					else {
						// Later steps find the file by the id it holds.
						quarantine(file, "holds endpoint id " + record.id() + ", not the one its name says");
					}
				}
				catch (JacksonException ex) {
					quarantine(file, "unreadable: " + ex.getOriginalMessage());
				}
				catch (IOException ex) {
					quarantine(file, "unreadable: " + ex.getMessage());
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read endpoint state from " + this.directory, ex);
		}
		return records;
	}

	/**
	 * Moves the state file of endpoint {@code id} aside, when it cannot be restored from.
	 */
	void quarantine(int id, String reason) {
		quarantine(file(id), reason);
	}

	/**
	 * Every file quarantined so far, also by earlier runs of the agent, oldest first.
	 */
	List<QuarantinedStateFile> quarantined() {
		List<QuarantinedStateFile> result = new ArrayList<>();
		Path quarantine = quarantineDirectory();
		if (quarantine == null || !Files.isDirectory(quarantine)) {
			return result;
		}
		try (DirectoryStream<Path> files = Files.newDirectoryStream(quarantine, "*.json-*")) {
			for (Path file : files) {
				String name = file.getFileName().toString();
				if (!name.endsWith(REASON_SUFFIX) && !name.endsWith(AtomicStateFile.TEMPORARY_SUFFIX)) {
					Path reason = file.resolveSibling(file.getFileName() + REASON_SUFFIX);
					result.add(new QuarantinedStateFile(file,
							Files.exists(reason) ? Files.readString(reason, StandardCharsets.UTF_8) : "unknown"));
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot list quarantined endpoint state in " + quarantine, ex);
		}
		result.sort(Comparator.comparing(QuarantinedStateFile::file));
		return result;
	}

	/**
	 * A state file that cannot be restored from is neither deleted (it is evidence, and
	 * may be repaired by hand) nor left in place (the next start would trip over it
	 * again): it moves to {@code quarantine/} with a note of why. Its pod's address and
	 * veth are not freed here; the restorer holds them while the veth exists
	 * ({@link HeldOrphan}).
	 */
	private void quarantine(Path file, String reason) {
		Path quarantine = quarantineDirectory();
		Path target = quarantine.resolve(file.getFileName() + "-" + System.currentTimeMillis());
		try {
			Files.createDirectories(quarantine);
			AtomicStateFile.write(target.resolveSibling(target.getFileName() + REASON_SUFFIX),
					reason.getBytes(StandardCharsets.UTF_8));
			Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
			AtomicStateFile.syncDirectory(this.directory);
			logger.error(
					"endpoint state file {} cannot be restored ({}); moved to {}; the pod's address and veth"
							+ " are held until CNI DEL, or until no pod of this node claims the address",
					file, reason, target);
		}
		catch (IOException ex) {
			// Left in place: the next start tries again; failing here would stop the
			// agent.
			logger.error("endpoint state file {} cannot be restored ({}) and cannot be moved to {}: {}", file, reason,
					quarantine, ex.toString());
		}
	}

	private Path quarantineDirectory() {
		return (this.directory != null) ? this.directory.resolve("quarantine") : null;
	}

	private Path file(int id) {
		return this.directory.resolve(id + ".json");
	}

}
