package io.jcilium.agent.nodestate;

import java.util.Iterator;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.jcilium.api.agent.v1.GetNodeStateRequest;
import io.jcilium.api.agent.v1.NodeState;
import io.jcilium.api.agent.v1.NodeStateServiceGrpc;
import io.jcilium.api.agent.v1.WatchNodeStateRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code agent.v1.NodeStateService} over gRPC (in-process transport): nothing before the
 * first state, then the current state and one new revision per real change.
 */
class NodeStateGrpcServiceTest {

	private final NodeStatePublisher publisher = new NodeStatePublisher();

	private Server server;

	private ManagedChannel channel;

	@BeforeEach
	void start() throws Exception {
		String name = "node-state-" + UUID.randomUUID();
		this.server = InProcessServerBuilder.forName(name)
			.addService(new NodeStateGrpcService(this.publisher))
			.build()
			.start();
		this.channel = InProcessChannelBuilder.forName(name).build();
	}

	@AfterEach
	void stop() {
		this.channel.shutdownNow();
		this.server.shutdownNow();
	}

	@Test
	void getIsUnavailableUntilTheCachesSyncedThenGivesTheCurrentState() {
		NodeStateServiceGrpc.NodeStateServiceBlockingStub stub = NodeStateServiceGrpc.newBlockingStub(this.channel);
		assertThatThrownBy(() -> stub.getNodeState(GetNodeStateRequest.getDefaultInstance()))
			.isInstanceOfSatisfying(StatusRuntimeException.class,
					(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE))
			.hasMessageContaining("not synced");

		this.publisher.publish(state("10.1.0.0/24"));
		NodeState current = stub.getNodeState(GetNodeStateRequest.getDefaultInstance());
		assertThat(current.getPodCidrsList()).containsExactly("10.1.0.0/24");
		assertThat(current.getRevision()).isEqualTo(1);
	}

	@Test
	void aWatcherGetsTheCurrentStateThenEachChangeOnce() throws Exception {
		this.publisher.publish(state("10.1.0.0/24"));
		BlockingQueue<NodeState> received = new LinkedBlockingQueue<>();
		NodeStateServiceGrpc.newStub(this.channel)
			.watchNodeState(WatchNodeStateRequest.getDefaultInstance(), new StreamObserver<>() {

				@Override
				public void onNext(NodeState state) {
					received.add(state);
				}

				@Override
				public void onError(Throwable error) {
				}

				@Override
				public void onCompleted() {
				}

			});
		NodeState first = received.poll(30, TimeUnit.SECONDS);
		assertThat(first).isNotNull();
		assertThat(first.getRevision()).isEqualTo(1);

		assertThat(this.publisher.publish(state("10.1.0.0/24"))).as("the same state is no change").isFalse();
		assertThat(this.publisher.publish(state("10.1.0.0/24", "10.1.1.0/24"))).isTrue();
		NodeState second = received.poll(30, TimeUnit.SECONDS);
		assertThat(second).isNotNull();
		assertThat(second.getRevision()).isEqualTo(2);
		assertThat(second.getPodCidrsList()).containsExactly("10.1.0.0/24", "10.1.1.0/24");

		this.publisher.publish(state());
		NodeState third = received.poll(30, TimeUnit.SECONDS);
		assertThat(third.getRevision()).isEqualTo(3);
		assertThat(third.getPodCidrsList()).isEmpty();
		assertThat(received).as("nothing else was sent").isEmpty();
	}

	@Test
	void aCancelledWatchUnsubscribes() throws Exception {
		this.publisher.publish(state("10.1.0.0/24"));
		io.grpc.Context.CancellableContext context = io.grpc.Context.current().withCancellation();
		Iterator<NodeState> states = context.call(() -> NodeStateServiceGrpc.newBlockingStub(this.channel)
			.watchNodeState(WatchNodeStateRequest.getDefaultInstance()));
		assertThat(states.next().getRevision()).isEqualTo(1);
		assertThat(this.publisher.subscribers()).isEqualTo(1);
		context.cancel(null);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (this.publisher.subscribers() > 0) {
			assertThat(System.nanoTime()).as("the cancelled watch unsubscribed").isLessThan(deadline);
			Thread.sleep(20);
		}
		assertThat(this.publisher.publish(state("10.2.0.0/24"))).isTrue();
	}

	private static NodeState state(String... podCidrs) {
		return NodeState.newBuilder().setNodeName("node-1").addAllPodCidrs(java.util.List.of(podCidrs)).build();
	}

}
