package io.jcilium.relay.pool;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.jcilium.api.hubble.observer.ServerStatusRequest;
import io.jcilium.api.hubble.observer.ServerStatusResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection per known agent: peers come and go as the peer service says, each gets
 * its own channel, and a periodic check ({@link #check()}) probes every agent whose
 * breaker lets a call out with {@code ServerStatus}, so an agent that went away is
 * retried with backoff and one that comes back is announced to the listeners (running
 * {@code follow} requests pick it up again).
 */
public final class PeerPool implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(PeerPool.class);

	private final PeerDialer dial;

	private final PoolSettings settings;

	private final Map<String, PeerConnection> connections = new ConcurrentHashMap<>();

	private final List<Consumer<PeerConnection>> availableListeners = new CopyOnWriteArrayList<>();

	private final CountDownLatch firstPeer = new CountDownLatch(1);

	private final long createdNanos = System.nanoTime();

	public PeerPool(PeerDialer dial, PoolSettings settings) {
		this.dial = dial;
		this.settings = settings;
	}

	/**
	 * In the relay's first moments only (up to the probe timeout after the pool was
	 * made), waits until the peer service has announced a first agent. A relay that has
	 * just (re)started and is asked at once would otherwise know no agent at all, and
	 * answer a cluster's history with nothing and no word of why. Later calls never wait.
	 * @throws InterruptedException when interrupted while waiting
	 */
	public void awaitFirstPeer() throws InterruptedException {
		long left = this.settings.probeTimeout().toNanos() - (System.nanoTime() - this.createdNanos);
		if (left > 0) {
			this.firstPeer.await(left, TimeUnit.NANOSECONDS);
		}
	}

	/**
	 * Adds a peer, or replaces it when its address or TLS name changed.
	 * @param peer the peer as announced
	 */
	public void upsert(Peer peer) {
		PeerConnection current = this.connections.get(peer.name());
		if (current != null && current.peer().equals(peer)) {
			return;
		}
		PeerConnection connection = new PeerConnection(peer, this.dial.dial(peer), this.dial.verifiedServerName(peer),
				this.settings.backoffInitial(), this.settings.backoffMax());
		PeerConnection replaced = this.connections.put(peer.name(), connection);
		this.firstPeer.countDown();
		if (replaced != null) {
			replaced.close();
		}
		log.info("Hubble peer {} at {} {}", peer.name(), peer.address(), (replaced != null) ? "moved" : "added");
	}

	/**
	 * Forgets a peer and closes its channel.
	 * @param name the peer's name
	 */
	public void remove(String name) {
		PeerConnection removed = this.connections.remove(name);
		if (removed != null) {
			removed.close();
			log.info("Hubble peer {} at {} removed", name, removed.peer().address());
		}
	}

	/** Every known peer, by name. */
	public List<PeerConnection> list() {
		List<PeerConnection> all = new ArrayList<>(this.connections.values());
		all.sort(Comparator.comparing(PeerConnection::name));
		return all;
	}

	/**
	 * Calls the listener, on the checking thread, whenever a peer becomes available.
	 * @param listener must not block
	 * @return removes the listener
	 */
	public Runnable onAvailable(Consumer<PeerConnection> listener) {
		this.availableListeners.add(listener);
		return () -> this.availableListeners.remove(listener);
	}

	/**
	 * Probes, all at once, every peer whose breaker lets a call out, and waits for their
	 * answers up to the probe timeout.
	 */
	public void check() {
		Map<PeerConnection, Future<ServerStatusResponse>> probes = new ConcurrentHashMap<>();
		for (PeerConnection connection : this.connections.values()) {
			if (connection.probeDue()) {
				probes.put(connection,
						connection.observerFuture()
							.withWaitForReady()
							.withDeadlineAfter(this.settings.probeTimeout().toMillis(), TimeUnit.MILLISECONDS)
							.serverStatus(ServerStatusRequest.getDefaultInstance()));
			}
		}
		probes.forEach(this::awaitProbe);
	}

	/**
	 * Records a call's success (e.g. a status fetched for a client) as a probe's.
	 * @param connection the peer that answered
	 */
	public void answered(PeerConnection connection) {
		if (connection.succeeded()) {
			log.info("Hubble peer {} at {} is available", connection.name(), connection.peer().address());
			this.availableListeners.forEach((listener) -> listener.accept(connection));
		}
	}

	private void awaitProbe(PeerConnection connection, Future<ServerStatusResponse> probe) {
		try {
			probe.get(this.settings.probeTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
			answered(connection);
		}
		catch (InterruptedException ex) {
			probe.cancel(true);
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			boolean wasAvailable = connection.available();
			connection.failed(ex);
			if (wasAvailable) {
				log.warn("Hubble peer {} at {} is unavailable: {}", connection.name(), connection.peer().address(),
						(ex.getCause() != null) ? ex.getCause().getMessage() : ex.toString());
			}
		}
	}

	@Override
	public void close() {
		this.connections.values().forEach(PeerConnection::close);
		this.connections.clear();
	}

}
