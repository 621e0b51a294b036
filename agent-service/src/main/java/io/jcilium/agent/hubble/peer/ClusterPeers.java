package io.jcilium.agent.hubble.peer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.jcilium.api.crd.v2.CiliumNode;
import io.jcilium.api.hubble.peer.ChangeNotification;
import io.jcilium.api.hubble.peer.ChangeNotificationType;

/**
 * The cluster's Hubble peers, one per CiliumNode with an address, and who listens to
 * them. A new subscriber first gets every known peer as {@code PEER_ADDED}, then each
 * change: {@code PEER_UPDATED} when a node's address or TLS name changes (nothing when it
 * does not, as upstream), {@code PEER_DELETED} when the node goes or loses its address.
 * Subscribers are called on the informer's thread, under this object's lock, and must not
 * block.
 */
final class ClusterPeers {

	private final PeerAddressing addressing;

	// By CiliumNode name; the notifications are kept as PEER_ADDED.
	private final Map<String, ChangeNotification> peers = new LinkedHashMap<>();

	private final List<Consumer<ChangeNotification>> subscribers = new ArrayList<>();

	ClusterPeers(PeerAddressing addressing) {
		this.addressing = addressing;
	}

	/**
	 * The handler to hang on the CiliumNode informer the agent already runs: level
	 * triggered, an added or updated node is taken as it is now.
	 */
	ResourceEventHandler<CiliumNode> ciliumNodes() {
		return new ResourceEventHandler<>() {

			@Override
			public void onAdd(CiliumNode node) {
				upsert(node);
			}

			@Override
			public void onUpdate(CiliumNode before, CiliumNode after) {
				upsert(after);
			}

			@Override
			public void onDelete(CiliumNode node, boolean finalStateUnknown) {
				remove(node);
			}

		};
	}

	/**
	 * Sends every known peer as added, then every change, until the returned handle runs.
	 * @param subscriber called on the informer's thread; must not block
	 * @return unsubscribes
	 */
	synchronized Runnable subscribe(Consumer<ChangeNotification> subscriber) {
		this.peers.values().forEach(subscriber);
		this.subscribers.add(subscriber);
		return () -> unsubscribe(subscriber);
	}

	synchronized List<ChangeNotification> peers() {
		return List.copyOf(this.peers.values());
	}

	synchronized void upsert(CiliumNode node) {
		String key = node.getMetadata().getName();
		Optional<ChangeNotification> added = this.addressing.notification(node, ChangeNotificationType.PEER_ADDED);
		if (added.isEmpty()) {
			remove(node);
			return;
		}
		ChangeNotification before = this.peers.put(key, added.get());
		if (before == null) {
			publish(added.get());
		}
		else if (!before.equals(added.get())) {
			publish(added.get().toBuilder().setType(ChangeNotificationType.PEER_UPDATED).build());
		}
	}

	synchronized void remove(CiliumNode node) {
		ChangeNotification before = this.peers.remove(node.getMetadata().getName());
		if (before != null) {
			publish(before.toBuilder().setType(ChangeNotificationType.PEER_DELETED).build());
		}
	}

	private synchronized void unsubscribe(Consumer<ChangeNotification> subscriber) {
		this.subscribers.remove(subscriber);
	}

	private void publish(ChangeNotification notification) {
		for (Consumer<ChangeNotification> subscriber : List.copyOf(this.subscribers)) {
			subscriber.accept(notification);
		}
	}

}
