package io.jcilium.agent.cni;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A minimal HTTP/1.1 server on a unix domain socket (JDK 16+
 * {@code UnixDomainSocketAddress}): the embedded web servers bind TCP only, and the agent
 * API must not be reachable from the network. The socket file is mode 0600: only root
 * (the CNI plugin, the console) talks to the agent, as upstream's {@code cilium.sock}.
 */
final class UnixHttpServer implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(UnixHttpServer.class);

	private final Path socketPath;

	private final Function<HttpRequest, HttpResponse> handler;

	private final ExecutorService workers;

	private ServerSocketChannel server;

	UnixHttpServer(Path socketPath, int workerThreads, Function<HttpRequest, HttpResponse> handler) {
		this.socketPath = socketPath;
		this.handler = handler;
		AtomicInteger count = new AtomicInteger();
		this.workers = Executors.newFixedThreadPool(workerThreads, (task) -> {
			Thread thread = new Thread(task, "agent-api-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Binds the socket (replacing a stale one left by a previous run) and starts serving.
	 */
	synchronized void start() throws IOException {
		Path parent = this.socketPath.toAbsolutePath().getParent();
		if (parent != null) {
			Files.createDirectories(parent);
		}
		Files.deleteIfExists(this.socketPath);
		this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		this.server.bind(UnixDomainSocketAddress.of(this.socketPath));
		Files.setPosixFilePermissions(this.socketPath, PosixFilePermissions.fromString("rw-------"));
		// The loop gets the channel itself: close() may clear the field before the thread
		// first reads it.
		ServerSocketChannel channel = this.server;
		Thread acceptor = new Thread(() -> acceptLoop(channel), "agent-api-accept");
		acceptor.setDaemon(true);
		acceptor.start();
		logger.info("agent API listening on unix:{}", this.socketPath);
	}

	Path socketPath() {
		return this.socketPath;
	}

	@Override
	public synchronized void close() {
		if (this.server == null) {
			return;
		}
		try {
			this.server.close();
			Files.deleteIfExists(this.socketPath);
		}
		catch (IOException ex) {
			logger.warn("closing agent API socket {}: {}", this.socketPath, ex.getMessage());
		}
		this.workers.shutdown();
		try {
			this.workers.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.server = null;
	}

	private void acceptLoop(ServerSocketChannel channel) {
		while (channel.isOpen()) {
			try {
				SocketChannel client = channel.accept();
				this.workers.execute(() -> serve(client));
			}
			catch (ClosedChannelException ex) {
				return;
			}
			catch (IOException ex) {
				logger.warn("agent API accept failed: {}", ex.getMessage());
			}
		}
	}

	private void serve(SocketChannel client) {
		try (client) {
			InputStream in = new BufferedInputStream(Channels.newInputStream(client));
			OutputStream out = Channels.newOutputStream(client);
			HttpResponse response;
			try {
				response = this.handler.apply(HttpRequest.read(in, out));
			}
			catch (HttpRequest.BadRequestException ex) {
				response = HttpResponse.json(400, "{\"message\":" + Json.quote(ex.getMessage()) + "}");
			}
			catch (RuntimeException ex) {
				logger.error("agent API request failed", ex);
				response = HttpResponse.json(500, "{\"message\":" + Json.quote(String.valueOf(ex.getMessage())) + "}");
			}
			response.write(out);
		}
		catch (IOException ex) {
			logger.debug("agent API connection ended early: {}", ex.getMessage());
		}
	}

}
