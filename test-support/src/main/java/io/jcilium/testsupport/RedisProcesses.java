package io.jcilium.testsupport;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Real {@code redis-server} processes of one test class (cluster nodes, a primary and its
 * replica, sentinels), each with its own port and directory under one temporary
 * directory, all removed by {@link #close()} and by a shutdown hook if the JVM dies
 * first. Commands go through {@code redis-cli}.
 */
final class RedisProcesses implements AutoCloseable {

	static final Duration START_TIMEOUT = Duration.ofSeconds(30);

	private final Path directory;

	private final Map<Integer, Process> processes = new LinkedHashMap<>();

	private final Thread shutdownHook = new Thread(this::close, "redis-processes-cleanup");

	RedisProcesses(String name) throws IOException {
		Prerequisites.require(Prerequisites.onPath("redis-server") && Prerequisites.onPath("redis-cli"),
				"redis-server and redis-cli are not on the PATH: install Debian's redis-server (scripts/setup.sh does)");
		this.directory = Files.createTempDirectory("jcilium-" + name + "-");
		Runtime.getRuntime().addShutdownHook(this.shutdownHook);
	}

	/**
	 * Starts {@code redis-server} on a port with the given extra arguments (after
	 * {@code --port}, {@code --dir}, the log file) and waits for PING.
	 */
	synchronized void start(int port, List<String> arguments) throws IOException {
		Path dir = this.directory.resolve(Integer.toString(port));
		Files.createDirectories(dir);
		List<String> command = new ArrayList<>(List.of("redis-server"));
		command.addAll(arguments);
		command.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
				"--daemonize", "no", "--logfile", "redis.log"));
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(dir.resolve("stdout.log").toFile())
			.start();
		this.processes.put(port, process);
		await(() -> !process.isAlive() || cli(port, "PING").equals("PONG"), "redis on port " + port + " to answer");
		if (!process.isAlive()) {
			throw new IOException("redis-server on port " + port + " exited: " + log(port));
		}
	}

	/** Writes a file into a process's directory, e.g. a sentinel's configuration. */
	Path file(int port, String name, String content) throws IOException {
		Path dir = this.directory.resolve(Integer.toString(port));
		Files.createDirectories(dir);
		return Files.writeString(dir.resolve(name), content);
	}

	/** Kills the process on a port with SIGKILL, as a crash would. */
	synchronized void kill(int port) throws InterruptedException {
		Process process = this.processes.remove(port);
		if (process != null) {
			process.destroyForcibly().waitFor();
		}
	}

	/** One redis-cli command; the trimmed output, or "" when it fails. */
	static String cli(int port, String... arguments) {
		List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
		command.addAll(List.of(arguments));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(20, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				return "";
			}
			return output.trim();
		}
		catch (IOException ex) {
			return "";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "";
		}
	}

	/** Waits (generously: the machine may be loaded) until the condition holds. */
	static void await(BooleanSupplier condition, String what) throws IOException {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new IOException("gave up after " + START_TIMEOUT + " waiting for " + what);
			}
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException("interrupted waiting for " + what, ex);
			}
		}
	}

	String log(int port) {
		try {
			return Files.readString(this.directory.resolve(port + "/stdout.log"))
					+ Files.readString(this.directory.resolve(port + "/redis.log"));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	static int freePort() throws IOException {
		// Below 55536: a cluster node also listens on its port + 10000 (the cluster bus).
		for (int attempt = 0; attempt < 100; attempt++) {
			try (ServerSocket socket = new ServerSocket(0)) {
				int port = socket.getLocalPort();
				if (port < 55536 && free(port + 10000)) {
					return port;
				}
			}
		}
		throw new IOException("no free port below 55536 with its cluster bus port free");
	}

	private static boolean free(int port) {
		try (ServerSocket socket = new ServerSocket(port)) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	@Override
	public synchronized void close() {
		for (Process process : this.processes.values()) {
			process.destroyForcibly();
			try {
				process.waitFor();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.processes.clear();
		try (Stream<Path> paths = Files.walk(this.directory)) {
			paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
		}
		catch (IOException ignored) {
			// Best effort: the directory is under the temp dir.
		}
		try {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
		catch (IllegalStateException ignored) {
			// Called by the hook itself while the JVM shuts down.
		}
	}

}
