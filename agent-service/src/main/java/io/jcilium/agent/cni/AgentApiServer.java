package io.jcilium.agent.cni;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import io.jcilium.agent.endpoint.EndpointManager;
import io.jcilium.agent.link.LinkOperations;

import org.springframework.context.SmartLifecycle;

/**
 * The agent API on its unix socket, started and stopped with the agent. Constructible
 * with {@code new}, so tests run it without a Spring context.
 */
public final class AgentApiServer implements SmartLifecycle {

	private final UnixHttpServer server;

	private volatile boolean running;

	public AgentApiServer(Path socketPath, int workerThreads, EndpointManager endpoints, LinkOperations links) {
		this(socketPath, AgentApiSettings.withWorkers(workerThreads), endpoints, links);
	}

	public AgentApiServer(Path socketPath, AgentApiSettings settings, EndpointManager endpoints, LinkOperations links) {
		AgentApi api = new AgentApi(new CniService(endpoints, links), endpoints);
		this.server = new UnixHttpServer(socketPath, settings, api::handle);
	}

	@Override
	public void start() {
		// Initialise the JSON mapper now: otherwise the first pod after an agent start
		// pays
		// for its class loading, and pods started at the same time queue behind it.
		Json.warmUp();
		try {
			this.server.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot serve the agent API on unix socket " + this.server.socketPath()
					+ " (the agent needs root to create it): " + ex.getMessage(), ex);
		}
		this.running = true;
	}

	@Override
	public void stop() {
		this.server.close();
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
