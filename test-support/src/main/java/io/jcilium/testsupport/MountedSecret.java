package io.jcilium.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A directory laid out as the kubelet mounts a Secret, and updated as the kubelet updates
 * it: each key is a symlink {@code <key> -> ..data/<key>}, {@code ..data} a symlink to a
 * timestamped directory, and an update writes a new directory and renames a new
 * {@code ..data} link over the old one, so the files a reader named never change in place
 * (the way that broke file watchers that looked at the links only).
 */
public final class MountedSecret implements AutoCloseable {

	private final Path dir;

	private int version;

	private MountedSecret(Path dir) {
		this.dir = dir;
	}

	/**
	 * A mounted Secret with the given keys.
	 * @param files key to the file whose content it gets
	 * @return the mount
	 */
	public static MountedSecret of(Map<String, Path> files) {
		try {
			MountedSecret secret = new MountedSecret(Files.createTempDirectory("jcilium-secret-"));
			secret.update(files);
			for (String key : files.keySet()) {
				Files.createSymbolicLink(secret.dir.resolve(key), Path.of("..data", key));
			}
			return secret;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Where a key's file is, e.g. {@code tls.crt}. */
	public Path file(String key) {
		return this.dir.resolve(key);
	}

	/**
	 * Gives every key new content at once, as the kubelet does when the Secret changes.
	 * @param files key to the file whose content it gets
	 */
	public synchronized void update(Map<String, Path> files) {
		try {
			Path previous = Files.isSymbolicLink(this.dir.resolve("..data"))
					? this.dir.resolve(Files.readSymbolicLink(this.dir.resolve("..data"))) : null;
			String name = "..version_" + (++this.version);
			Path next = Files.createDirectory(this.dir.resolve(name));
			for (Map.Entry<String, Path> file : files.entrySet()) {
				Files.copy(file.getValue(), next.resolve(file.getKey()));
			}
			Path link = Files.createSymbolicLink(this.dir.resolve("..data_tmp"), Path.of(name));
			Files.move(link, this.dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE,
					StandardCopyOption.REPLACE_EXISTING);
			if (previous != null) {
				delete(previous);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		delete(this.dir);
	}

	private static void delete(Path path) {
		try (Stream<Path> files = Files.walk(path)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(file);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
