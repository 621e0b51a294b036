package io.jcilium.devapiserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

/**
 * A Kubernetes API server for development and tests, good enough for kubectl and fabric8
 * clients: fabric8's mock server in CRUD mode holds the objects (on a loopback port of
 * its own), and a small HTTP front adds what kubectl needs and the mock lacks.
 * <p>
 * It is a stand-in: no admission, defaulting or server-side validation, no garbage
 * collection, no field ownership. Nothing in the services may depend on a behaviour it
 * has and a real API server does not.
 */
public final class DevApiServer implements AutoCloseable {

	/**
	 * The mock server logs every request at INFO through java.util.logging; held here so
	 * the level set on it is not lost to garbage collection.
	 */
	private static final java.util.logging.Logger MOCK_LOGGER = java.util.logging.Logger
		.getLogger("io.fabric8.mockwebserver");

	private final KubernetesMockServer store;

	private final HttpServer front;

	private final ExecutorService executor;

	private final Thread requestLogDrain;

	private DevApiServer(KubernetesMockServer store, HttpServer front, ExecutorService executor,
			Thread requestLogDrain) {
		this.store = store;
		this.front = front;
		this.executor = executor;
		this.requestLogDrain = requestLogDrain;
	}

	/**
	 * Start the store and the front.
	 * @param bindAddress the address to listen on
	 * @param port the port, 0 for any free one
	 * @return the running server
	 */
	public static DevApiServer start(InetAddress bindAddress, int port) {
		MOCK_LOGGER.setLevel(java.util.logging.Level.WARNING);
		KubernetesMockServer store = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
				new KubernetesMixedDispatcher(new HashMap<>()), false);
		store.init(InetAddress.getLoopbackAddress(), 0);
		AtomicInteger threads = new AtomicInteger();
		ExecutorService executor = Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, "dev-apiserver-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		try {
			HttpServer front = HttpServer.create(new InetSocketAddress(bindAddress, port), 64);
			StoreClient client = new StoreClient(URI.create("http://127.0.0.1:" + store.getPort() + "/"));
			String address = bindAddress.getHostAddress() + ":" + front.getAddress().getPort();
			front.createContext("/", new ApiHandler(client, address));
			front.setExecutor(executor);
			front.start();
			Thread drain = new Thread(() -> drainRequestLog(store), "dev-apiserver-request-log");
			drain.setDaemon(true);
			drain.start();
			return new DevApiServer(store, front, executor, drain);
		}
		catch (IOException ex) {
			store.destroy();
			executor.shutdownNow();
			throw new UncheckedIOException("cannot listen on " + bindAddress.getHostAddress() + ":" + port, ex);
		}
	}

	/** The port clients connect to. */
	public int port() {
		return this.front.getAddress().getPort();
	}

	/** The URL clients connect to. */
	public URI url() {
		return URI.create("http://" + this.front.getAddress().getAddress().getHostAddress() + ":" + port());
	}

	/**
	 * Write a kubeconfig whose current context points at this server.
	 * @param file where to write it
	 */
	public void writeKubeconfig(Path file) {
		Kubeconfig.write(file, url());
	}

	@Override
	public void close() {
		this.front.stop(0);
		this.requestLogDrain.interrupt();
		this.executor.shutdownNow();
		try {
			this.executor.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.store.destroy();
	}

	/**
	 * The mock server records every request for test assertions; a long-running server
	 * would keep them all, so they are taken and dropped as they come.
	 */
	private static void drainRequestLog(KubernetesMockServer store) {
		try {
			while (!Thread.currentThread().isInterrupted()) {
				store.takeRequest(1, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
