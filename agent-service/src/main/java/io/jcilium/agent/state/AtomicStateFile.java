package io.jcilium.agent.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a state file so that a crash or power loss at any moment leaves either the old
 * or the new content, never a torn or empty file: the bytes go to a temporary file in the
 * same directory (a rename is atomic only within one file system), which is synced,
 * renamed over the target, and then the directory is synced so the rename itself is
 * durable (rename(2) alone may be lost on power failure; see the ext4 and XFS guidance on
 * {@code fsync} of the parent directory). Every file the agent keeps goes through here.
 */
public final class AtomicStateFile {

	/** Suffix of the temporary files; readers skip (and may delete) files ending so. */
	public static final String TEMPORARY_SUFFIX = ".tmp";

	private AtomicStateFile() {
	}

	/**
	 * Replaces {@code file} with {@code content}, creating its directory if needed.
	 * @throws IOException when any step fails; the old content is then still in place and
	 * no temporary file is left behind
	 */
	public static void write(Path file, byte[] content) throws IOException {
		Path directory = file.toAbsolutePath().getParent();
		Files.createDirectories(directory);
		Path temporary = Files.createTempFile(directory, "." + file.getFileName(), TEMPORARY_SUFFIX);
		try {
			try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
				ByteBuffer buffer = ByteBuffer.wrap(content);
				while (buffer.hasRemaining()) {
					channel.write(buffer);
				}
				channel.force(true);
			}
			Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			syncDirectory(directory);
		}
		finally {
			Files.deleteIfExists(temporary);
		}
	}

	/**
	 * Syncs a directory's entries (after a rename or delete in it). Linux allows
	 * {@code fsync} on a directory opened read-only, which {@link FileChannel} does for
	 * {@code READ}.
	 */
	public static void syncDirectory(Path directory) throws IOException {
		try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
			channel.force(true);
		}
	}

}
