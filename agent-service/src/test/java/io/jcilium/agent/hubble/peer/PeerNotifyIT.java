package io.jcilium.agent.hubble.peer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import io.jcilium.agent.k8s.MockCluster;
import io.jcilium.api.crd.v2.CiliumNode;
import io.jcilium.api.hubble.peer.ChangeNotification;
import io.jcilium.api.hubble.peer.ChangeNotificationType;
import io.jcilium.api.hubble.peer.NotifyRequest;
import io.jcilium.api.hubble.peer.PeerGrpc;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code peer.Peer/Notify} over a real gRPC connection, fed by the agent's CiliumNode
 * informer on the mock API server: the nodes already there come first as added, then each
 * node added, readdressed and deleted, named {@code cluster/node} (the cluster is not
 * {@code default}) and addressed at its InternalIP with the Hubble port.
 */
@EnableKubernetesMockClient(crud = true)
class PeerNotifyIT {

	private static final long TIMEOUT_SECONDS = 20;

	static KubernetesClient client;

	@BeforeAll
	static void warmUp() {
		MockCluster.warmUp(client);
	}

	@Test
	void notifyStreamsTheKnownNodesThenEachChange() {
		MockCluster.runner(client)
			.withUserConfiguration(PeerConfiguration.class)
			.withPropertyValues("jcilium.agent.hubble.peer.port=4244")
			.run((context) -> {
				apply("node-1", "192.168.56.11", "10.0.1.0/24");
				apply("node-2", "192.168.56.12", "10.0.2.0/24");
				ClusterPeers peers = context.getBean(ClusterPeers.class);
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
				while (peers.peers().size() < 2 && System.nanoTime() < deadline) {
					Thread.sleep(20);
				}

				Server server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
					.addService(context.getBean(PeerService.class))
					.build()
					.start();
				ManagedChannel channel = Grpc
					.newChannelBuilderForAddress("127.0.0.1", server.getPort(), InsecureChannelCredentials.create())
					.build();
				try {
					BlockingQueue<ChangeNotification> received = new LinkedBlockingQueue<>();
					PeerGrpc.newStub(channel).notify(NotifyRequest.getDefaultInstance(), collect(received));

					assertThat(List.of(next(received), next(received))).containsExactlyInAnyOrder(
							notification("test-cluster/node-1", "192.168.56.11:4244",
									ChangeNotificationType.PEER_ADDED),
							notification("test-cluster/node-2", "192.168.56.12:4244",
									ChangeNotificationType.PEER_ADDED));

					apply("node-3", "192.168.56.13", "10.0.3.0/24");
					assertThat(next(received)).isEqualTo(notification("test-cluster/node-3", "192.168.56.13:4244",
							ChangeNotificationType.PEER_ADDED));

					apply("node-2", "192.168.56.22", "10.0.2.0/24");
					assertThat(next(received)).isEqualTo(notification("test-cluster/node-2", "192.168.56.22:4244",
							ChangeNotificationType.PEER_UPDATED));

					// Same address, another pod CIDR: the same peer, nothing to say. Had
					// it
					// been announced, it would come before the deletion below.
					apply("node-2", "192.168.56.22", "10.0.22.0/24");
					client.resources(CiliumNode.class).withName("node-3").delete();
					assertThat(next(received)).isEqualTo(notification("test-cluster/node-3", "192.168.56.13:4244",
							ChangeNotificationType.PEER_DELETED));
					assertThat(received.poll(500, TimeUnit.MILLISECONDS)).isNull();
				}
				finally {
					channel.shutdownNow();
					server.shutdownNow();
				}
			});
	}

	private static void apply(String name, String internalIp, String podCidr) {
		CiliumNode node = new CiliumNode();
		node.setMetadata(new ObjectMetaBuilder().withName(name).build());
		CiliumNode.Spec spec = new CiliumNode.Spec();
		CiliumNode.NodeAddress internal = new CiliumNode.NodeAddress();
		internal.type = "InternalIP";
		internal.ip = internalIp;
		CiliumNode.NodeAddress ciliumInternal = new CiliumNode.NodeAddress();
		ciliumInternal.type = "CiliumInternalIP";
		ciliumInternal.ip = podCidr.replace(".0/24", ".1");
		spec.addresses = List.of(ciliumInternal, internal);
		spec.ipam = new CiliumNode.IpamSpec();
		spec.ipam.podCIDRs = List.of(podCidr);
		node.setSpec(spec);
		client.resource(node).createOr(NonDeletingOperation::update);
	}

	private static ChangeNotification notification(String name, String address, ChangeNotificationType type) {
		return ChangeNotification.newBuilder().setName(name).setAddress(address).setType(type).build();
	}

	private static ChangeNotification next(BlockingQueue<ChangeNotification> received) throws InterruptedException {
		ChangeNotification next = received.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		assertThat(next).as("a notification within %s", Duration.ofSeconds(TIMEOUT_SECONDS)).isNotNull();
		return next;
	}

	private static StreamObserver<ChangeNotification> collect(BlockingQueue<ChangeNotification> received) {
		return new StreamObserver<>() {

			@Override
			public void onNext(ChangeNotification value) {
				received.add(value);
			}

			@Override
			public void onError(Throwable error) {
			}

			@Override
			public void onCompleted() {
			}

		};
	}

}
