package io.jcilium.relay.peer;

import java.util.Iterator;

import io.jcilium.api.hubble.peer.ChangeNotification;
import io.jcilium.api.hubble.peer.NotifyRequest;
import io.jcilium.api.hubble.peer.PeerGrpc;
import io.jcilium.jobs.JobTask;
import io.jcilium.relay.pool.Peer;
import io.jcilium.relay.pool.PeerPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns the agents from {@code peer.Peer/Notify} on the configured agent address (the
 * bootstrap, upstream's {@code peer-service}): each added or updated peer gets a
 * connection in the pool, each deleted one loses it. One run is one Notify stream; the
 * job running it reconnects with backoff when the stream breaks, and the peer service
 * then sends the full list again. Peers already known are kept meanwhile: their agents
 * may well be fine.
 */
final class PeerWatcher implements JobTask {

	private static final Logger log = LoggerFactory.getLogger(PeerWatcher.class);

	private final PeerGrpc.PeerBlockingStub peers;

	private final PeerPool pool;

	private final int defaultPort;

	private Runnable progressed = () -> {
	};

	PeerWatcher(PeerGrpc.PeerBlockingStub peers, PeerPool pool, int defaultPort) {
		this.peers = peers;
		this.pool = pool;
		this.defaultPort = defaultPort;
	}

	/**
	 * @param progressed called on each notification: the stream works, so a later break
	 * backs off from the start
	 */
	void progressTo(Runnable progressed) {
		this.progressed = progressed;
	}

	@Override
	public void run() {
		Iterator<ChangeNotification> notifications = this.peers.notify(NotifyRequest.getDefaultInstance());
		while (notifications.hasNext()) {
			apply(notifications.next());
			this.progressed.run();
		}
		throw new IllegalStateException("the peer service ended the Notify stream");
	}

	void apply(ChangeNotification notification) {
		switch (notification.getType()) {
			case PEER_ADDED, PEER_UPDATED -> {
				try {
					this.pool.upsert(new Peer(notification.getName(),
							PeerAddresses.withPort(notification.getAddress(), this.defaultPort),
							notification.hasTls() ? notification.getTls().getServerName() : ""));
				}
				catch (IllegalArgumentException ex) {
					log.warn("Ignoring peer notification {}: {}", notification.getName(), ex.getMessage());
				}
			}
			case PEER_DELETED -> this.pool.remove(notification.getName());
			default -> log.debug("Ignoring peer notification of type {} for {}", notification.getType(),
					notification.getName());
		}
	}

}
