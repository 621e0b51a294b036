package io.jcilium.testsupport;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One jcilium service started from its executable jar as a child process, the way it
 * ships: {@code java -jar <name>-<version>-exec.jar}, on a free gRPC port, with a random
 * HTTP port. The build passes the jar's path in the system property
 * {@code jcilium.<name>.jar} (see operator-service's pom). The process is killed on
 * {@link #close()} and by a shutdown hook if the test JVM dies first; its log is kept in
 * a temporary file that {@link #close()} removes.
 */
public final class ServiceProcess implements AutoCloseable {

	private static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
			"-Xss512k");

	private final String name;

	private final Process process;

	private final Path log;

	private final int grpcPort;

	private final Thread shutdownHook;

	private ServiceProcess(String name, Process process, Path log, int grpcPort) {
		this.name = name;
		this.process = process;
		this.log = log;
		this.grpcPort = grpcPort;
		this.shutdownHook = new Thread(this::kill, name + "-cleanup");
		Runtime.getRuntime().addShutdownHook(this.shutdownHook);
	}

	/**
	 * Starts the service and waits until its gRPC port accepts connections.
	 * @param name the module name, e.g. {@code ipam-service}
	 * @param arguments Spring arguments, e.g. {@code --spring.data.redis.port=6379}
	 * @param timeout how long the start may take (a Boot service needs 10-30 s on a busy
	 * 2-core machine)
	 */
	public static ServiceProcess start(String name, List<String> arguments, Duration timeout) throws IOException {
		String property = "jcilium." + name + ".jar";
		String jar = System.getProperty(property);
		if (jar == null || !new File(jar).isFile()) {
			throw new IllegalStateException("system property " + property + " does not name " + name
					+ "'s executable jar (was " + jar + "); run the test through Maven ("
					+ "./mvnw -pl <module> -am verify), which builds the jar and sets it");
		}
		int grpcPort = freePort();
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(JVM_OPTIONS);
		command.add("-jar");
		command.add(jar);
		command.add("--spring.grpc.server.port=" + grpcPort);
		command.add("--server.port=0");
		// Plaintext gRPC, the development setting: the jars default to mTLS.
		command.add("--jcilium.tls.enabled=false");
		command.addAll(arguments);
		Path log = Files.createTempFile("jcilium-" + name + "-", ".log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		ServiceProcess service = new ServiceProcess(name, process, log, grpcPort);
		try {
			service.awaitGrpcPort(timeout);
		}
		catch (IOException | RuntimeException ex) {
			service.close();
			throw ex;
		}
		return service;
	}

	public int grpcPort() {
		return this.grpcPort;
	}

	/** {@code host:port} of the gRPC server. */
	public String grpcTarget() {
		return "127.0.0.1:" + this.grpcPort;
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	/** Kills the process and removes its log. */
	@Override
	public void close() {
		kill();
		try {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
		catch (IllegalStateException ignored) {
			// The JVM is already shutting down: the hook runs anyway.
		}
		try {
			Files.deleteIfExists(this.log);
		}
		catch (IOException ignored) {
			// Best effort: the file is under the temp dir.
		}
	}

	private void kill() {
		this.process.destroyForcibly();
		try {
			this.process.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void awaitGrpcPort(Duration timeout) throws IOException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IOException(this.name + " exited with status " + this.process.exitValue()
						+ " before serving gRPC on port " + this.grpcPort + "; its log ends with:\n" + logTail());
			}
			if (accepts(this.grpcPort)) {
				return;
			}
			sleep(200);
		}
		throw new IOException(this.name + " did not serve gRPC on port " + this.grpcPort + " within " + timeout
				+ "; its log ends with:\n" + logTail());
	}

	private String logTail() {
		try {
			List<String> lines = Files.readAllLines(this.log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	private static boolean accepts(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
			return true;
		}
		catch (IOException ex) {
			return false;
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
