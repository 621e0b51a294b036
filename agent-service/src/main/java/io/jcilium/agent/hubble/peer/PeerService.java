package io.jcilium.agent.hubble.peer;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.jcilium.api.hubble.peer.ChangeNotification;
import io.jcilium.api.hubble.peer.NotifyRequest;
import io.jcilium.api.hubble.peer.PeerGrpc;

/**
 * Upstream's {@code peer.Peer}: {@code Notify} streams the cluster's Hubble peers, every
 * known one as added first, then each change, until the client goes. Served on the
 * agent's gRPC port beside {@code observer.Observer}.
 */
final class PeerService extends PeerGrpc.PeerImplBase {

	private final ClusterPeers peers;

	private final int maxQueued;

	PeerService(ClusterPeers peers, int maxQueued) {
		this.peers = peers;
		this.maxQueued = maxQueued;
	}

	@Override
	public void notify(NotifyRequest request, StreamObserver<ChangeNotification> responses) {
		PeerSubscription subscription = new PeerSubscription((ServerCallStreamObserver<ChangeNotification>) responses,
				this.maxQueued);
		subscription.subscribed(this.peers.subscribe(subscription));
	}

}
