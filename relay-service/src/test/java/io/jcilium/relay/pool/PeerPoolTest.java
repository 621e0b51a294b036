package io.jcilium.relay.pool;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.jcilium.api.hubble.observer.ObserverGrpc;
import io.jcilium.api.hubble.observer.ServerStatusRequest;
import io.jcilium.api.hubble.observer.ServerStatusResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pool's view of an agent, on a real (in-process) gRPC server the test stops and
 * starts: available once it answers a probe, unavailable at its first failure, left alone
 * for the backoff, and announced to the listeners when it answers again.
 */
class PeerPoolTest {

	private final String name = InProcessServerBuilder.generateName();

	private final AtomicInteger probes = new AtomicInteger();

	private final List<String> announced = new CopyOnWriteArrayList<>();

	private Server server;

	private PeerPool pool;

	@AfterEach
	void tearDown() {
		this.pool.close();
		if (this.server != null) {
			this.server.shutdownNow();
		}
	}

	@Test
	void anAgentIsAvailableOnceItAnswersAndAnnouncedOnce() throws IOException {
		pool(Duration.ofMillis(50));
		startAgent();
		this.pool.upsert(new Peer("node-1", this.name, ""));
		assertThat(this.pool.list().get(0).available()).as("before any probe").isFalse();

		this.pool.check();
		this.pool.check();

		assertThat(this.pool.list().get(0).available()).isTrue();
		assertThat(this.announced).containsExactly("node-1");
	}

	@Test
	void anAgentThatFailedIsLeftAloneForItsBackoff() throws IOException {
		pool(Duration.ofSeconds(30));
		startAgent();
		this.pool.upsert(new Peer("node-1", this.name, ""));
		this.pool.check();
		PeerConnection connection = this.pool.list().get(0);
		connection.failed(new IllegalStateException("stream broke"));
		int before = this.probes.get();

		this.pool.check();

		assertThat(connection.available()).isFalse();
		assertThat(this.probes.get()).as("no probe within the 30s backoff").isEqualTo(before);
	}

	@Test
	void anAgentThatComesBackIsAnnouncedAgain() throws Exception {
		pool(Duration.ofMillis(50));
		startAgent();
		this.pool.upsert(new Peer("node-1", this.name, ""));
		this.pool.check();
		this.server.shutdownNow().awaitTermination();

		this.pool.check();
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (this.pool.list().get(0).available() && System.nanoTime() < deadline) {
			Thread.sleep(60);
			this.pool.check();
		}
		assertThat(this.pool.list().get(0).available()).as("unavailable while stopped").isFalse();

		startAgent();
		while (!this.pool.list().get(0).available() && System.nanoTime() < deadline) {
			Thread.sleep(60);
			this.pool.check();
		}
		assertThat(this.pool.list().get(0).available()).isTrue();
		assertThat(this.announced).containsExactly("node-1", "node-1");
	}

	@Test
	void anAnnouncedAgentIsCallableUntilItsFirstProbeThenOnlyWhileItAnswers() throws IOException {
		pool(Duration.ofSeconds(30));
		this.pool.upsert(new Peer("node-1", this.name, ""));
		PeerConnection connection = this.pool.list().get(0);
		assertThat(connection.untried()).isTrue();
		assertThat(connection.callable()).as("asked by a request before any probe").isTrue();

		// No agent listens yet: the probe fails, and the agent is left to its backoff.
		this.pool.check();

		assertThat(connection.untried()).isFalse();
		assertThat(connection.callable()).isFalse();

		startAgent();
		this.pool.upsert(new Peer("node-2", this.name, ""));
		this.pool.check();
		PeerConnection answering = this.pool.list().get(1);
		assertThat(answering.untried()).isFalse();
		assertThat(answering.callable()).isTrue();
	}

	@Test
	void aMovedPeerGetsANewConnectionAndARemovedOneNone() {
		pool(Duration.ofMillis(50));
		this.pool.upsert(new Peer("node-1", "a", ""));
		PeerConnection first = this.pool.list().get(0);
		this.pool.upsert(new Peer("node-1", "a", ""));
		assertThat(this.pool.list().get(0)).isSameAs(first);
		this.pool.upsert(new Peer("node-1", "b", ""));
		assertThat(this.pool.list().get(0)).isNotSameAs(first);
		this.pool.remove("node-1");
		assertThat(this.pool.list()).isEmpty();
	}

	private void pool(Duration backoffInitial) {
		this.pool = new PeerPool((peer) -> InProcessChannelBuilder.forName(peer.address()).build(),
				new PoolSettings(Duration.ofSeconds(2), backoffInitial, backoffInitial.multipliedBy(2)));
		this.pool.onAvailable((connection) -> this.announced.add(connection.name()));
	}

	private void startAgent() throws IOException {
		this.server = InProcessServerBuilder.forName(this.name).addService(new ObserverGrpc.ObserverImplBase() {

			@Override
			public void serverStatus(ServerStatusRequest request, StreamObserver<ServerStatusResponse> responses) {
				PeerPoolTest.this.probes.incrementAndGet();
				responses.onNext(ServerStatusResponse.newBuilder().setVersion("test").build());
				responses.onCompleted();
			}

		}).build().start();
	}

}
