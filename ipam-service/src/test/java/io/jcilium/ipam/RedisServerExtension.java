package io.jcilium.ipam;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real {@code redis-server} process for a test class: a free port on loopback, a fresh
 * temporary directory (append-only file on, so a restart keeps the data), stopped and
 * deleted after the class also when it fails, and by a shutdown hook if the JVM dies
 * first. Without {@code redis-server} on the PATH the class is skipped with a message,
 * except in CI ({@code CI=true}) where it fails.
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback {

	private Path directory;

	private int port;

	private Process process;

	private Thread shutdownHook;

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		String executable = findOnPath("redis-server");
		if (executable == null) {
			String message = "redis-server is not on the PATH; install it (apt-get install redis-server) to run "
					+ context.getDisplayName();
			if ("true".equalsIgnoreCase(System.getenv("CI"))) {
				throw new IllegalStateException(message);
			}
			Assumptions.abort(message);
		}
		this.directory = Files.createTempDirectory("jcilium-redis-");
		try (ServerSocket socket = new ServerSocket(0)) {
			this.port = socket.getLocalPort();
		}
		this.shutdownHook = new Thread(this::destroy, "redis-server-cleanup");
		Runtime.getRuntime().addShutdownHook(this.shutdownHook);
		start(executable);
	}

	@Override
	public void afterAll(ExtensionContext context) throws Exception {
		destroy();
		if (this.shutdownHook != null) {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
	}

	public int port() {
		return this.port;
	}

	/**
	 * Stops Redis (SIGTERM: it finishes writing its append-only file) and starts it
	 * again.
	 */
	public void restart() throws Exception {
		stop();
		start(findOnPath("redis-server"));
	}

	/** Empties the database between tests. */
	public void flushAll() throws IOException {
		if (!command("FLUSHALL").startsWith("+OK")) {
			throw new IllegalStateException("FLUSHALL failed");
		}
	}

	private void start(String executable) throws Exception {
		this.process = new ProcessBuilder(executable, "--port", Integer.toString(this.port), "--bind", "127.0.0.1",
				"--dir", this.directory.toString(), "--appendonly", "yes", "--appendfsync", "always", "--save", "",
				"--daemonize", "no", "--protected-mode", "yes")
			.redirectErrorStream(true)
			.redirectOutput(this.directory.resolve("redis.log").toFile())
			.start();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("redis-server exited with " + this.process.exitValue() + ": "
						+ Files.readString(this.directory.resolve("redis.log")));
			}
			try {
				if (command("PING").startsWith("+PONG")) {
					return;
				}
			}
			catch (IOException ignored) {
				// not listening yet
			}
			Thread.sleep(50);
		}
		throw new IllegalStateException("redis-server did not answer PING within 15 s on port " + this.port);
	}

	private void stop() throws InterruptedException {
		if (this.process != null && this.process.isAlive()) {
			this.process.destroy();
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
		}
	}

	private void destroy() {
		try {
			stop();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
		if (this.directory != null) {
			try (Stream<Path> files = Files.walk(this.directory)) {
				files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
			}
			catch (IOException ignored) {
				// best effort: the directory lives under the temporary directory
			}
		}
	}

	private String command(String name) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 1000);
			socket.setSoTimeout(2000);
			OutputStream out = socket.getOutputStream();
			out.write(("*1\r\n$" + name.length() + "\r\n" + name + "\r\n").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] buffer = new byte[64];
			int read = in.read(buffer);
			return (read > 0) ? new String(buffer, 0, read, StandardCharsets.US_ASCII) : "";
		}
	}

	private static String findOnPath(String name) {
		String path = System.getenv("PATH");
		for (String entry : (path != null) ? path.split(":") : new String[0]) {
			Path candidate = Path.of(entry, name);
			if (Files.isExecutable(candidate)) {
				return candidate.toString();
			}
		}
		return null;
	}

}
