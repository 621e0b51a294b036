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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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

	private Path directory;

	private int port;

	private Process process;

	private Thread shutdownHook;

	/** A Redis that needs no password. */
	public RedisServer() {
		this(null);
	}

	private RedisServer(String password) {
		this.password = password;
	}

	/**
	 * A Redis that refuses every client that does not send this password (requirepass).
	 */
	public static RedisServer withPassword(String password) {
		return new RedisServer(password);
	}

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		Prerequisites.require(Prerequisites.onPath("redis-server"),
				"redis-server is not on the PATH: install Debian's redis-server (scripts/setup.sh does)");
		this.directory = Files.createTempDirectory("jcilium-redis-");
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
		List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(this.port), "--bind",
				"127.0.0.1", "--dir", this.directory.toString(), "--appendonly", "yes", "--appendfsync", "always",
				"--save", "", "--daemonize", "no", "--logfile", "redis.log"));
		if (this.password != null) {
			command.addAll(List.of("--requirepass", this.password));
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
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 500);
			socket.setSoTimeout(2000);
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
