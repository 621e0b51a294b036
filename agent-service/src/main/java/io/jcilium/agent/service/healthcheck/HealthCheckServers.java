package io.jcilium.agent.service.healthcheck;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jcilium.agent.service.lb.ServiceName;

/**
 * One HTTP server per service with a health-check node port, on every address of the
 * node, answering any GET as upstream's agent and kube-proxy do: status 200 when the node
 * has a ready backend of the service, 503 when it has none, and the body
 * {@code {"service":{"namespace":"..","name":".."},"localEndpoints":N}}. Reconciled per
 * service from {@link io.jcilium.agent.service.watch.ServiceSync}: a new count is served
 * at once, a changed port moves the server, a service without a health check closes it. A
 * port that cannot be bound is logged and retried on the service's next change.
 */
public final class HealthCheckServers implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(HealthCheckServers.class);

	private final Map<ServiceName, Server> servers = new LinkedHashMap<>();

	/**
	 * Brings one service's server to what its health check says.
	 * @param name the service
	 * @param check its health check, or {@code null} for none
	 */
	public synchronized void update(ServiceName name, HealthCheck check) {
		Server current = this.servers.get(name);
		if (current != null && (check == null || current.port != check.nodePort())) {
			this.servers.remove(name).close();
			current = null;
		}
		if (check == null) {
			return;
		}
		if (current == null) {
			try {
				current = new Server(name, check.nodePort());
			}
			catch (UncheckedIOException ex) {
				log.warn("Health-check node port {} of service {} not served: {}", check.nodePort(), name,
						ex.getCause().getMessage());
				return;
			}
			this.servers.put(name, current);
		}
		current.localEndpoints = check.localEndpoints();
	}

	/**
	 * The ports served now.
	 * @return service -> port
	 */
	public synchronized Map<ServiceName, Integer> ports() {
		Map<ServiceName, Integer> ports = new LinkedHashMap<>();
		this.servers.forEach((name, server) -> ports.put(name, server.port));
		return ports;
	}

	@Override
	public synchronized void close() {
		this.servers.values().forEach(Server::close);
		this.servers.clear();
	}

	private static final class Server {

		private final int port;

		private final HttpServer http;

		private volatile int localEndpoints;

		Server(ServiceName name, int port) {
			this.port = port;
			try {
				this.http = HttpServer.create(new InetSocketAddress(port), 16);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			String prefix = "{\"service\":{\"namespace\":\"" + name.namespace() + "\",\"name\":\"" + name.name()
					+ "\"},\"localEndpoints\":";
			this.http.createContext("/", (exchange) -> answer(exchange, prefix));
			this.http.start();
		}

		private void answer(HttpExchange exchange, String prefix) throws IOException {
			try (exchange) {
				int local = this.localEndpoints;
				byte[] body = (prefix + local + "}").getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().set("Content-Type", "application/json");
				exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
				exchange.getResponseHeaders().set("X-Load-Balancing-Endpoint-Weight", String.valueOf(local));
				exchange.sendResponseHeaders((local > 0) ? 200 : 503, body.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(body);
				}
			}
		}

		void close() {
			this.http.stop(0);
		}

	}

}
