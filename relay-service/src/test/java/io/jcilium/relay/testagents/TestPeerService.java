package io.jcilium.relay.testagents;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.jcilium.api.hubble.peer.ChangeNotification;
import io.jcilium.api.hubble.peer.ChangeNotificationType;
import io.jcilium.api.hubble.peer.NotifyRequest;
import io.jcilium.api.hubble.peer.PeerGrpc;
import io.jcilium.api.hubble.peer.TLS;

/**
 * {@code peer.Peer} as an agent serves it: every announced peer as added first, then each
 * change. The test sets the cluster's peers with {@link #announce}; what changed goes out
 * as added or deleted notifications.
 */
public final class TestPeerService extends PeerGrpc.PeerImplBase {

	private final Map<String, String> peers = new LinkedHashMap<>();

	private final List<StreamObserver<ChangeNotification>> subscribers = new CopyOnWriteArrayList<>();

	private final String tlsDomain;

	/** A peer service of agents that serve plaintext. */
	public TestPeerService() {
		this("");
	}

	/**
	 * A peer service of agents that serve TLS, each with the server name
	 * {@code <node>.<tlsDomain>} (upstream:
	 * {@code <node>.<cluster>.hubble-grpc.cilium.io}).
	 * @param tlsDomain the domain after the node's name
	 */
	public TestPeerService(String tlsDomain) {
		this.tlsDomain = tlsDomain;
	}

	/**
	 * Makes these the cluster's peers.
	 * @param addresses node name to host:port
	 */
	public synchronized void announce(Map<String, String> addresses) {
		for (Map.Entry<String, String> peer : Map.copyOf(this.peers).entrySet()) {
			if (!addresses.containsKey(peer.getKey())) {
				this.peers.remove(peer.getKey());
				publish(notification(peer.getKey(), peer.getValue(), ChangeNotificationType.PEER_DELETED));
			}
		}
		addresses.forEach((name, address) -> {
			String before = this.peers.put(name, address);
			if (before == null) {
				publish(notification(name, address, ChangeNotificationType.PEER_ADDED));
			}
			else if (!before.equals(address)) {
				publish(notification(name, address, ChangeNotificationType.PEER_UPDATED));
			}
		});
	}

	@Override
	public synchronized void notify(NotifyRequest request, StreamObserver<ChangeNotification> responses) {
		this.peers.forEach(
				(name, address) -> responses.onNext(notification(name, address, ChangeNotificationType.PEER_ADDED)));
		this.subscribers.add(responses);
		((ServerCallStreamObserver<ChangeNotification>) responses)
			.setOnCancelHandler(() -> this.subscribers.remove(responses));
	}

	private void publish(ChangeNotification notification) {
		for (StreamObserver<ChangeNotification> subscriber : this.subscribers) {
			try {
				subscriber.onNext(notification);
			}
			catch (RuntimeException ex) {
				this.subscribers.remove(subscriber);
			}
		}
	}

	private ChangeNotification notification(String name, String address, ChangeNotificationType type) {
		ChangeNotification.Builder notification = ChangeNotification.newBuilder()
			.setName(name)
			.setAddress(address)
			.setType(type);
		if (!this.tlsDomain.isEmpty()) {
			notification.setTls(TLS.newBuilder().setServerName(name + "." + this.tlsDomain));
		}
		return notification.build();
	}

}
