package io.jcilium.api.tls.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Where the agent keeps its node certificate: {@code tls.key} and {@code tls.crt} in one
 * directory (under its state directory), read by the {@code grpc} SSL bundle with
 * {@code reload-on-update}, so a renewed certificate is picked up as any rotated one.
 * Each file is replaced whole (written beside, then moved), so a reader never sees half a
 * file; the key is kept readable by its owner only.
 */
public final class NodeCertificateFiles {

	private final Path directory;

	/**
	 * @param directory the directory, created on the first write
	 */
	public NodeCertificateFiles(Path directory) {
		this.directory = directory;
	}

	public Path privateKey() {
		return this.directory.resolve("tls.key");
	}

	public Path certificate() {
		return this.directory.resolve("tls.crt");
	}

	/**
	 * The certificate on disk, if there is a readable one with its key beside it.
	 * @return the leaf certificate
	 */
	public Optional<X509Certificate> current() {
		if (!Files.isRegularFile(privateKey()) || !Files.isRegularFile(certificate())) {
			return Optional.empty();
		}
		try {
			return Optional.of(IssuedCertificate.parseChain(Files.readString(certificate())).get(0));
		}
		catch (IOException | IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

	/**
	 * Replaces key and certificate.
	 * @param issued the new key and certificate
	 */
	public void write(IssuedCertificate issued) {
		try {
			Files.createDirectories(this.directory);
			replace(privateKey(), issued.privateKeyPem());
			replace(certificate(), issued.certificatePem());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot write the node certificate to " + this.directory, ex);
		}
	}

	private void replace(Path target, String text) throws IOException {
		Path next = this.directory.resolve("." + target.getFileName() + ".next");
		Files.deleteIfExists(next);
		Files.createFile(next, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		Files.writeString(next, text, StandardCharsets.US_ASCII);
		try {
			Files.move(next, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (AtomicMoveNotSupportedException ex) {
			Files.move(next, target, StandardCopyOption.REPLACE_EXISTING);
		}
	}

}
