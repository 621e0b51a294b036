package io.jcilium.agent.cni;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.jcilium.jobs.DaemonThreads;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A minimal HTTP/1.1 server on a unix domain socket (JDK 16+
 * {@code UnixDomainSocketAddress}): the embedded web servers bind TCP only, and the agent
 * API must not be reachable from the network. The socket file is mode 0600: only root
 * (the CNI plugin, the console) talks to the agent, as upstream's {@code cilium.sock}.
 * <p>
 * Bounded against stalled or hostile local clients ({@link AgentApiSettings}): requests
 * are read by one selector thread ({@link RequestReader}) with a read timeout, so a
 * silent client holds no worker; complete requests queue for a fixed pool of workers; a
 * connection beyond the limit is answered 503 at once. The acceptor and workers serve
 * requests; they are not background jobs, so they are not in the agent's {@code Jobs}.
 */
final class UnixHttpServer implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(UnixHttpServer.class);

	private final Path socketPath;

	private final Function<HttpRequest, HttpResponse> handler;

	private final AgentApiSettings settings;

	private final ThreadPoolExecutor workers;

	private final AtomicInteger openConnections = new AtomicInteger();

	private ServerSocketChannel server;

	private RequestReader reader;

	UnixHttpServer(Path socketPath, AgentApiSettings settings, Function<HttpRequest, HttpResponse> handler) {
		this.socketPath = socketPath;
		this.handler = handler;
		this.settings = settings;
		// The queue can never overflow: at most maxConnections requests exist at once.
		// Workers are many (an ADD waits for its endpoint on one) and end when idle.
		this.workers = new ThreadPoolExecutor(settings.workerThreads(), settings.workerThreads(), 60, TimeUnit.SECONDS,
				new ArrayBlockingQueue<>(settings.maxConnections()), DaemonThreads.named("agent-api"));
		this.workers.allowCoreThreadTimeOut(true);
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
		this.reader = new RequestReader(this.settings.readTimeout(), this::dispatch, (channel) -> closed());
		this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		this.server.bind(UnixDomainSocketAddress.of(this.socketPath));
		Files.setPosixFilePermissions(this.socketPath, PosixFilePermissions.fromString("rw-------"));
		// The loop gets the channel itself: close() may clear the field before the thread
		// first reads it.
		ServerSocketChannel channel = this.server;
		RequestReader requests = this.reader;
		Thread acceptor = new Thread(() -> acceptLoop(channel, requests), "agent-api-accept");
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
			this.reader.close();
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

	private void acceptLoop(ServerSocketChannel channel, RequestReader requests) {
		while (channel.isOpen()) {
			try {
				SocketChannel client = channel.accept();
				if (this.openConnections.incrementAndGet() > this.settings.maxConnections()) {
					refuse(client,
							"agent API has " + this.settings.maxConnections() + " connections open already; try again");
					continue;
				}
				requests.add(client);
			}
			catch (ClosedChannelException ex) {
				return;
			}
			catch (IOException ex) {
				logger.warn("agent API accept failed: {}", ex.getMessage());
			}
		}
	}

	private void dispatch(SocketChannel client, byte[] request) {
		try {
			this.workers.execute(() -> serve(client, request));
		}
		catch (RejectedExecutionException ex) {
			refuse(client, "agent API is shutting down");
		}
	}

	/** Answers 503 and closes; a short write into an empty socket buffer never blocks. */
	private void refuse(SocketChannel client, String why) {
		logger.warn("agent API connection refused: {}", why);
		try (client) {
			client.write(ByteBuffer.wrap(HttpResponse.error(503, why).bytes()));
		}
		catch (IOException ex) {
			logger.debug("agent API: refusing a connection: {}", ex.getMessage());
		}
		closed();
	}

	private void closed() {
		this.openConnections.decrementAndGet();
	}

	private void serve(SocketChannel client, byte[] bytes) {
		try (client) {
			OutputStream out = Channels.newOutputStream(client);
			HttpResponse response;
			try {
				// 100 Continue, if asked for, went out while the request was read.
				response = this.handler
					.apply(HttpRequest.read(new ByteArrayInputStream(bytes), OutputStream.nullOutputStream()));
			}
			catch (HttpRequest.BadRequestException ex) {
				response = HttpResponse.error(400, ex.getMessage());
			}
			catch (RuntimeException ex) {
				logger.error("agent API request failed", ex);
				response = HttpResponse.error(500, String.valueOf(ex.getMessage()));
			}
			response.write(out);
		}
		catch (IOException ex) {
			logger.debug("agent API connection ended early: {}", ex.getMessage());
		}
		finally {
			closed();
		}
	}

}
