package io.jcilium.agent.identity;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.jcilium.api.identity.v1.AllocateRequest;
import io.jcilium.api.identity.v1.AllocateResponse;
import io.jcilium.api.identity.v1.Identity;
import io.jcilium.api.identity.v1.IdentityServiceGrpc;
import io.jcilium.api.identity.v1.ReleaseRequest;
import io.jcilium.api.identity.v1.ReleaseResponse;
import io.jcilium.common.label.Labels;
import io.jcilium.identity.client.IdentityClient;
import io.jcilium.identity.client.IdentityClientSettings;
import io.jcilium.jobs.Jobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node's references: taken when an endpoint gets an identity, dropped when the last
 * local use of it is given back. Against a hand-written stand-in for identity-service
 * (the client itself is proved against the real service in identity-service's
 * IdentityClientIT).
 */
class ServiceIdentityResolverTest {

	private static final Labels WEB = Labels.parse(List.of("k8s:app=web"));

	private static final Labels DB = Labels.parse(List.of("k8s:app=db"));

	private final References service = new References();

	private Server server;

	private ManagedChannel channel;

	private IdentityClient client;

	private final Jobs jobs = new Jobs("test-identity", 1);

	private ServiceIdentityResolver resolver;

	@BeforeEach
	void start() throws IOException {
		String name = "identity-" + UUID.randomUUID();
		this.server = InProcessServerBuilder.forName(name).addService(this.service).build().start();
		this.channel = InProcessChannelBuilder.forName(name).build();
		this.client = new IdentityClient(this.channel, IdentityClientSettings.defaults("in-process", "node-1"));
		this.resolver = new ServiceIdentityResolver(this.client, "node-1", this.jobs);
	}

	@AfterEach
	void stop() {
		this.resolver.close();
		this.jobs.close();
		this.client.close();
		this.channel.shutdownNow();
		this.server.shutdownNow();
	}

	@Test
	void referenceIsReleasedWhenTheLastUseOfTheIdentityIsGivenBack() throws InterruptedException {
		long web = this.resolver.resolve(WEB);
		assertThat(this.resolver.resolve(WEB)).isEqualTo(web);
		assertThat(this.resolver.uses(web)).isEqualTo(2);
		this.resolver.release(web);
		// Releases go out one at a time, in order: once a later one arrives, an earlier
		// one would have too.
		long marker = releaseAnother(DB, 1);
		assertThat(this.service.released).containsExactly(marker + "@node-1");
		this.resolver.release(web);
		awaitReleases(2);
		long secondMarker = releaseAnother(Labels.parse(List.of("k8s:app=marker")), 3);
		assertThat(this.service.released).containsExactly(marker + "@node-1", web + "@node-1",
				secondMarker + "@node-1");
		assertThat(this.resolver.uses(web)).isZero();
	}

	@Test
	void otherIdentitiesKeepTheirUses() throws InterruptedException {
		long web = this.resolver.resolve(WEB);
		long db = this.resolver.resolve(DB);
		assertThat(db).isNotEqualTo(web);
		this.resolver.release(web);
		awaitReleases(1);
		assertThat(this.service.released).containsExactly(web + "@node-1");
		assertThat(this.resolver.uses(db)).isEqualTo(1);
	}

	@Test
	void initIdentityIsNeitherAllocatedNorReleased() throws InterruptedException {
		assertThat(this.resolver.resolve(Labels.empty())).isEqualTo(5);
		this.resolver.release(5);
		long marker = releaseAnother(WEB, 1);
		assertThat(this.service.allocated).containsExactly(marker + "@node-1");
		assertThat(this.service.released).containsExactly(marker + "@node-1");
	}

	// Resolves and releases an identity of other labels, and waits until its release
	// (the count-th) reached the service: everything released before it has then arrived
	// too.
	private long releaseAnother(Labels labels, int count) throws InterruptedException {
		long id = this.resolver.resolve(labels);
		this.resolver.release(id);
		awaitReleases(count);
		return id;
	}

	private void awaitReleases(int count) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (this.service.released.size() < count) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("not " + count + " releases within 30 s: " + this.service.released);
			}
			Thread.sleep(10);
		}
	}

	/** Numbers label sets from 256 and records the references asked for and dropped. */
	static final class References extends IdentityServiceGrpc.IdentityServiceImplBase {

		final Map<List<String>, Integer> ids = new ConcurrentHashMap<>();

		final List<String> allocated = new CopyOnWriteArrayList<>();

		final List<String> released = new CopyOnWriteArrayList<>();

		@Override
		public void allocate(AllocateRequest request, StreamObserver<AllocateResponse> responses) {
			int id = this.ids.computeIfAbsent(request.getLabelsList(), (labels) -> 256 + this.ids.size());
			this.allocated.add(id + "@" + request.getNode());
			responses.onNext(AllocateResponse.newBuilder()
				.setIdentity(Identity.newBuilder().setId(id).addAllLabels(request.getLabelsList()))
				.build());
			responses.onCompleted();
		}

		@Override
		public void release(ReleaseRequest request, StreamObserver<ReleaseResponse> responses) {
			this.released.add(request.getId() + "@" + request.getNode());
			responses.onNext(ReleaseResponse.newBuilder().setReleased(true).build());
			responses.onCompleted();
		}

	}

}
