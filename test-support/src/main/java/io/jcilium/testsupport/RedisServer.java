package io.jcilium.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real {@code redis-server} process per test class, on a free port, with its own
 * temporary directory (append-only file with {@code appendfsync always}: Redis writes and
 * syncs it before it replies, so a SIGKILL loses nothing acknowledged; with
 * {@code everysec} Redis answers while a write waits behind a slow fsync, and a kill on a
 * busy disk loses it). The process and directory are removed after the class, also when
 * it fails, and by a shutdown hook if the JVM dies first.
 * <p>
 * Without {@code redis-server} on the PATH the tests are skipped, except in CI, where
 * they fail ({@link Prerequisites}).
 */
public final class RedisServer implements BeforeAllCallback, AfterAllCallback {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

	private final String password;

	private final boolean tls;

	private TestCertificates authority;

	private Path directory;

	private int port;

	private Process process;

	private Thread shutdownHook;

	/** A Redis that needs no password. */
	public RedisServer() {
		this(null, false);
	}

	private RedisServer(String password, boolean tls) {
		this.password = password;
		this.tls = tls;
	}

	/**
	 * A Redis that refuses every client that does not send this password (requirepass).
	 */
	public static RedisServer withPassword(String password) {
		return new RedisServer(password, false);
	}

	/**
	 * A Redis that needs this password and speaks TLS only, as the chart runs it with
	 * {@code global.redis.tls.enabled}: the plain port is closed ({@code --port 0}), the
	 * server's certificate comes from a CA made for the test ({@link #caCertificate()}),
	 * and clients need no certificate of their own.
	 */
	public static RedisServer withTls(String password) {
		return new RedisServer(password, true);
	}

	/** The CA that signed a TLS server's certificate: what its clients must trust. */
	public Path caCertificate() {
		return this.authority.caCertificate();
	}

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		Prerequisites.require(Prerequisites.onPath("redis-server"),
				"redis-server is not on the PATH: install Debian's redis-server (scripts/setup.sh does)");
		this.directory = Files.createTempDirectory("jcilium-redis-");
		if (this.tls) {
			this.authority = TestCertificates.newAuthority("jcilium-test-redis-ca");
		}
		this.shutdownHook = new Thread(this::destroy, "redis-server-cleanup");
		Runtime.getRuntime().addShutdownHook(this.shutdownHook);
		IOException lastFailure = null;
		// A free port can be taken by someone else before redis binds it: try a few.
		for (int attempt = 0; attempt < 3; attempt++) {
			this.port = freePort();
			try {
				start();
				return;
			}
			catch (IOException ex) {
				lastFailure = ex;
			}
		}
		throw lastFailure;
	}

	@Override
	public void afterAll(ExtensionContext context) {
		destroy();
		if (this.shutdownHook != null) {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
	}

	public int port() {
		return this.port;
	}

	/** Starts (or restarts, on the same port and data) the server and waits for PONG. */
	public synchronized void start() throws IOException {
		if (this.process != null && this.process.isAlive()) {
			return;
		}
		List<String> command = new ArrayList<>(
				List.of("redis-server", "--bind", "127.0.0.1", "--dir", this.directory.toString(), "--appendonly",
						"yes", "--appendfsync", "always", "--save", "", "--daemonize", "no", "--logfile", "redis.log"));
		if (this.password != null) {
			command.addAll(List.of("--requirepass", this.password));
		}
		if (this.tls) {
			TestCertificates.Issued server = this.authority.issue("redis");
			command.addAll(List.of("--port", "0", "--tls-port", Integer.toString(this.port), "--tls-cert-file",
					server.certificate().toString(), "--tls-key-file", server.privateKey().toString(),
					"--tls-ca-cert-file", caCertificate().toString(), "--tls-auth-clients", "no"));
		}
		else {
			command.addAll(List.of("--port", Integer.toString(this.port)));
		}
		this.process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(this.directory.resolve("stdout.log").toFile())
			.start();
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IOException("redis-server on port " + this.port + " exited: " + log());
			}
			if (ping()) {
				return;
			}
			sleep(50);
		}
		this.process.destroyForcibly();
		throw new IOException("redis-server on port " + this.port + " did not answer PING within " + START_TIMEOUT);
	}

	/**
	 * Stops the server with SIGTERM (it finishes writing its append-only file first) and
	 * starts it again on the same port and data.
	 */
	public synchronized void restart() throws IOException, InterruptedException {
		if (this.process != null && this.process.isAlive()) {
			this.process.destroy();
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
		}
		start();
	}

	/** Empties every database, e.g. between tests of one class. */
	public void flushAll() throws IOException {
		String reply = command("FLUSHALL");
		if (!reply.startsWith("+OK")) {
			throw new IOException("FLUSHALL on port " + this.port + " answered " + reply);
		}
	}

	/** Kills the server with SIGKILL, as a crash would. */
	public synchronized void kill() throws InterruptedException {
		if (this.process != null) {
			this.process.destroyForcibly();
			this.process.waitFor();
		}
	}

	public boolean ping() {
		try {
			return command("PING").startsWith("+PONG");
		}
		catch (IOException ex) {
			return false;
		}
	}

	// One inline command over a fresh connection; returns the first line of the reply.
	private String command(String command) throws IOException {
		try (Socket socket = connect()) {
			OutputStream out = socket.getOutputStream();
			InputStream in = socket.getInputStream();
			if (this.password != null) {
				out.write(("AUTH " + this.password + "\r\n").getBytes(StandardCharsets.US_ASCII));
				out.flush();
				String auth = firstLine(in);
				if (!auth.startsWith("+OK")) {
					return auth;
				}
			}
			out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			return firstLine(in);
		}
	}

	private Socket connect() throws IOException {
		Socket plain = new Socket();
		try {
			plain.connect(new InetSocketAddress("127.0.0.1", this.port), 500);
			plain.setSoTimeout(2000);
			if (!this.tls) {
				return plain;
			}
			SSLSocket secure = (SSLSocket) trustingTheAuthority().getSocketFactory()
				.createSocket(plain, "127.0.0.1", this.port, true);
			secure.startHandshake();
			return secure;
		}
		catch (IOException | GeneralSecurityException ex) {
			plain.close();
			throw (ex instanceof IOException io) ? io : new IOException("TLS to redis-server failed", ex);
		}
	}

	private SSLContext trustingTheAuthority() throws IOException, GeneralSecurityException {
		KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
		trusted.load(null, null);
		try (InputStream pem = Files.newInputStream(caCertificate())) {
			trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(pem));
		}
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(trusted);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, trust.getTrustManagers(), null);
		return context;
	}

	private static String firstLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		for (int next = in.read(); next >= 0 && next != '\n'; next = in.read()) {
			line.append((char) next);
		}
		return line.toString();
	}

	private synchronized void destroy() {
		if (this.process != null) {
			this.process.destroyForcibly();
			try {
				this.process.waitFor();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		if (this.authority != null) {
			this.authority.close();
			this.authority = null;
		}
		if (this.directory != null) {
			try (Stream<Path> paths = Files.walk(this.directory)) {
				paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
			}
			catch (IOException ignored) {
				// Best effort: the directory is under the temp dir.
			}
			this.directory = null;
		}
	}

	private String log() {
		try {
			return Files.readString(this.directory.resolve("stdout.log"))
					+ Files.readString(this.directory.resolve("redis.log"));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
