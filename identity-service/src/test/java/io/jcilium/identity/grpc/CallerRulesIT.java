package io.jcilium.identity.grpc;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.jcilium.api.caller.Caller;
import io.jcilium.api.caller.CallerHeader;
import io.jcilium.api.identity.v1.AllocateRequest;
import io.jcilium.api.identity.v1.HeartbeatRequest;
import io.jcilium.api.identity.v1.Identity;
import io.jcilium.api.identity.v1.RegisterRequest;
import io.jcilium.api.identity.v1.IdentityEvent;
import io.jcilium.api.identity.v1.IdentityServiceGrpc;
import io.jcilium.api.identity.v1.ListRequest;
import io.jcilium.api.identity.v1.ListResponse;
import io.jcilium.api.identity.v1.ReleaseRequest;
import io.jcilium.api.identity.v1.WatchRequest;
import io.jcilium.identity.testsupport.RunningIdentityService;
import io.jcilium.testsupport.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Who may do what over the wire, and the limits per caller, tried as a foreign node or a
 * careless client would: the whole service against a real Redis.
 */
class CallerRulesIT {

	private static final Caller NODE_A = Caller.node("node-a");

	private static final Caller NODE_B = Caller.node("node-b");

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	private static RunningIdentityService service;

	@BeforeAll
	static void startService() {
		service = RunningIdentityService.start(redisServer.port(), "jcilium.identity.grpc.watch-streams-per-caller=2",
				"jcilium.identity.grpc.watch-buffer-events=50",
				"jcilium.identity.allocation.max-identities-per-node=50",
				"jcilium.identity.allocation.max-identities-per-namespace=3");
	}

	@AfterAll
	static void stopService() throws InterruptedException {
		if (service != null) {
			service.close();
		}
	}

	@Test
	void aForeignNodesReleaseIsRefusedAndTheReferenceStays() {
		int id = allocate(NODE_A, "k8s:app=foreign-release").getIdentity().getId();

		assertDenied(() -> service.blocking(NODE_B).release(release(id, "node-a")), "Release for node 'node-a'",
				"not to node 'node-b'");
		assertDenied(() -> service.undeclared().release(release(id, "node-a")), "Release for node 'node-a'",
				"did not say who it is");

		// node-a's reference survived the attempts: node-a itself drops it.
		assertThat(service.blocking(NODE_A).release(release(id, "node-a")).getReleased()).isTrue();
	}

	@Test
	void aNodeNeitherAllocatesNorKeepsALeaseForAnother() {
		assertDenied(
				() -> service.blocking(NODE_B)
					.allocate(AllocateRequest.newBuilder().addLabels("k8s:app=squatter").setNode("node-a").build()),
				"Allocate for node 'node-a'");
		assertDenied(() -> service.blocking(NODE_B).heartbeat(HeartbeatRequest.newBuilder().setNode("node-a").build()),
				"Heartbeat for node 'node-a'");
		// Registering would give node-b's labels a number held by node-a, or take
		// node-a's
		// references for it.
		assertDenied(() -> service.blocking(NODE_B)
			.register(RegisterRequest.newBuilder()
				.setNode("node-a")
				.addIdentities(Identity.newBuilder().setId(300).addLabels("k8s:app=squatter"))
				.build()), "Register for node 'node-a'");
		assertDenied(
				() -> service.undeclared()
					.allocate(AllocateRequest.newBuilder().addLabels("k8s:app=anonymous").setNode("node-a").build()),
				"Allocate for node 'node-a'");
	}

	@Test
	void theOperatorReleasesForAnyNode() {
		int id = allocate(NODE_A, "k8s:app=operator-release").getIdentity().getId();
		assertThat(service.blocking(Caller.operator()).release(release(id, "node-a")).getReleased()).isTrue();
	}

	@Test
	void aMalformedCallerDeclarationIsRefused() {
		Metadata headers = new Metadata();
		headers.put(Metadata.Key.of(CallerHeader.NAME, Metadata.ASCII_STRING_MARSHALLER), "admin");
		assertThatThrownBy(() -> IdentityServiceGrpc
			.newBlockingStub(ClientInterceptors.intercept(service.channel(),
					io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers)))
			.withDeadlineAfter(30, TimeUnit.SECONDS)
			.heartbeat(HeartbeatRequest.newBuilder().setNode("node-a").build()))
			.isInstanceOfSatisfying(StatusRuntimeException.class,
					(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED))
			.hasMessageContaining("neither 'operator' nor 'node/<name>'");
	}

	@Test
	void tooManyOrTooLongLabelsAreRefusedNamingTheLimit() {
		List<String> many = new ArrayList<>();
		for (int i = 0; i < 65; i++) {
			many.add("k8s:label-" + i + "=x");
		}
		assertThatThrownBy(() -> service.blocking(NODE_A)
			.allocate(AllocateRequest.newBuilder().addAllLabels(many).setNode("node-a").build()))
			.isInstanceOfSatisfying(StatusRuntimeException.class,
					(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
			.hasMessageContaining("65 labels are more than jcilium.identity.allocation.max-labels=64");
		String huge = "k8s:app=" + "x".repeat(1 << 20);
		assertThatThrownBy(() -> service.blocking(NODE_A)
			.allocate(AllocateRequest.newBuilder().addLabels(huge).setNode("node-a").build()))
			.isInstanceOfSatisfying(StatusRuntimeException.class,
					(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
			.hasMessageContaining("more than jcilium.identity.allocation.max-label-length=512");
	}

	@Test
	void aNodeRefersToNoMoreIdentitiesThanTheLimitAndNothingIsCreatedPastIt() {
		Caller crowded = Caller.node("crowded-node");
		List<Integer> held = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			held.add(allocate(crowded, "k8s:app=crowd-" + i).getIdentity().getId());
		}
		assertThatThrownBy(() -> allocate(crowded, "k8s:app=crowd-50"))
			.isInstanceOfSatisfying(StatusRuntimeException.class,
					(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED))
			.hasMessageContaining("node 'crowded-node' already refers to 50 identities")
			.hasMessageContaining("jcilium.identity.allocation.max-identities-per-node");
		// Not created for anyone, and the operator acting for the node meets the same
		// limit.
		assertThatThrownBy(() -> service.undeclared()
			.lookupByLabels(io.jcilium.api.identity.v1.LookupByLabelsRequest.newBuilder()
				.addLabels("k8s:app=crowd-50")
				.build()))
			.isInstanceOfSatisfying(StatusRuntimeException.class,
					(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
		assertThatThrownBy(() -> service.blocking(Caller.operator())
			.allocate(AllocateRequest.newBuilder().addLabels("k8s:app=crowd-50").setNode("crowded-node").build()))
			.hasMessageContaining("already refers to 50 identities");

		// What the node holds stays allocatable, another node is not limited by it, and a
		// release makes room.
		assertThat(allocate(crowded, "k8s:app=crowd-7").getIdentity().getId()).isEqualTo(held.get(7));
		assertThat(allocate(NODE_B, "k8s:app=crowd-50").getIdentity().getId()).isPositive();
		assertThat(service.blocking(crowded).release(release(held.get(0), "crowded-node")).getReleased()).isTrue();
		assertThat(allocate(crowded, "k8s:app=crowd-50").getIdentity().getId()).isPositive();
	}

	@Test
	void aNamespacePastItsBudgetIsRefusedNamingTheSettingAndOthersAreNot() {
		String budgeted = "k8s:io.kubernetes.pod.namespace=budgeted";
		for (int i = 0; i < 3; i++) {
			allocate(NODE_A, budgeted, "k8s:app=per-pod-" + i);
		}
		// a per-pod unique label: the fourth pod of the namespace would be its fourth
		// identity
		assertThatThrownBy(() -> allocate(NODE_A, budgeted, "k8s:app=per-pod-3"))
			.isInstanceOfSatisfying(StatusRuntimeException.class,
					(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED))
			.hasMessageContaining("namespace 'budgeted' already has 3 identities")
			.hasMessageContaining("jcilium.identity.allocation.max-identities-per-namespace");
		// label sets that have their identity keep getting it, from any node; another
		// namespace has a budget of its own
		assertThat(allocate(NODE_B, budgeted, "k8s:app=per-pod-1").getCreated()).isFalse();
		assertThat(allocate(NODE_A, "k8s:io.kubernetes.pod.namespace=other", "k8s:app=per-pod-3").getIdentity().getId())
			.isPositive();
	}

	@Test
	void listComesInPagesThatTogetherHoldEveryIdentityOnce() {
		Set<Integer> allocated = new HashSet<>();
		for (int i = 0; i < 40; i++) {
			allocated.add(allocate(NODE_A, "k8s:app=paged-" + i).getIdentity().getId());
		}
		List<Integer> listed = new ArrayList<>();
		String token = "";
		int pages = 0;
		do {
			ListResponse page = service.undeclared()
				.list(ListRequest.newBuilder().setPageSize(7).setPageToken(token).build());
			assertThat(page.getIdentitiesCount()).isLessThanOrEqualTo(7);
			page.getIdentitiesList().forEach((identity) -> listed.add(identity.getId()));
			token = page.getNextPageToken();
			pages++;
		}
		while (!token.isEmpty());
		assertThat(listed).doesNotHaveDuplicates().isSorted().containsAll(allocated);
		assertThat(pages).isGreaterThanOrEqualTo(40 / 7);
		assertThatThrownBy(() -> service.undeclared().list(ListRequest.newBuilder().setPageToken("x").build()))
			.isInstanceOfSatisfying(StatusRuntimeException.class,
					(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
			.hasMessageContaining("page_token 'x'");
	}

	@Test
	void aCallerHoldsNoMoreWatchStreamsThanTheLimit() throws Exception {
		IdentityGrpcService grpc = service.bean(IdentityGrpcService.class);
		List<Watch> watches = new ArrayList<>();
		try {
			watches.add(Watch.open(NODE_A, Integer.MAX_VALUE));
			watches.add(Watch.open(NODE_A, Integer.MAX_VALUE));
			waitFor(() -> grpc.openWatchStreams("node/node-a") == 2);
			Watch third = Watch.open(NODE_A, Integer.MAX_VALUE);
			Status refused = third.closed.get(30, TimeUnit.SECONDS);
			assertThat(refused.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
			assertThat(refused.getDescription()).contains("node/node-a already has 2 Watch streams open")
				.contains("jcilium.identity.grpc.watch-streams-per-caller");
			// Another node has its own count, and a closed stream frees its place.
			watches.add(Watch.open(NODE_B, Integer.MAX_VALUE));
			watches.get(0).call.cancel("test done with it", null);
			waitFor(() -> grpc.openWatchStreams("node/node-a") == 1);
			watches.add(Watch.open(NODE_A, Integer.MAX_VALUE));
			waitFor(() -> grpc.openWatchStreams("node/node-a") == 2);
			assertThat(watches.get(3).closed).isNotDone();
		}
		finally {
			watches.forEach((watch) -> watch.call.cancel("test over", null));
		}
	}

	@Test
	void aWatcherThatStopsReadingIsDroppedInsteadOfBufferedWithoutBound() throws Exception {
		IdentityGrpcService grpc = service.bean(IdentityGrpcService.class);
		Caller reader = Caller.node("slow-reader");
		// Reads nothing at all: the server may send only what the transport's flow
		// control
		// windows hold (about 1 MiB), then buffers at most 50 events.
		Watch slow = Watch.open(reader, 0);
		try {
			waitFor(() -> grpc.openWatchStreams("node/slow-reader") == 1);
			String padding = "p".repeat(400);
			for (int i = 0; i < 4000 && grpc.openWatchStreams("node/slow-reader") == 1; i++) {
				// Spread over nodes, each far below its identity limit.
				allocate(Caller.node("flood-" + (i % 200)), "k8s:app=flood-" + i, "k8s:padding-a=" + padding + i,
						"k8s:padding-b=" + padding);
			}
			waitFor(() -> grpc.openWatchStreams("node/slow-reader") == 0);
			// Once it reads again, the client learns why its stream ended.
			slow.call.request(Integer.MAX_VALUE);
			Status dropped = slow.closed.get(60, TimeUnit.SECONDS);
			assertThat(dropped.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
			assertThat(dropped.getDescription()).contains("fell more than 50 events behind")
				.contains("jcilium.identity.grpc.watch-buffer-events");
		}
		finally {
			slow.call.cancel("test over", null);
		}
	}

	private static io.jcilium.api.identity.v1.AllocateResponse allocate(Caller caller, String... labels) {
		String node = caller.name();
		return service.blocking(caller)
			.allocate(AllocateRequest.newBuilder().addAllLabels(List.of(labels)).setNode(node).build());
	}

	private static ReleaseRequest release(int id, String node) {
		return ReleaseRequest.newBuilder().setId(id).setNode(node).build();
	}

	private static void assertDenied(Runnable call, String... messageParts) {
		assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, (ex) -> {
			assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
			for (String part : messageParts) {
				assertThat(ex.getStatus().getDescription()).contains(part);
			}
		});
	}

	private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("condition not reached within 60 s");
			}
			Thread.sleep(20);
		}
	}

	/** A raw Watch call whose reading the test controls. */
	private record Watch(ClientCall<WatchRequest, IdentityEvent> call, CompletableFuture<Status> closed) {

		static Watch open(Caller caller, int messagesToRead) {
			ClientCall<WatchRequest, IdentityEvent> call = ClientInterceptors
				.intercept(service.channel(), CallerHeader.declaring(caller))
				.newCall(IdentityServiceGrpc.getWatchMethod(), CallOptions.DEFAULT);
			CompletableFuture<Status> closed = new CompletableFuture<>();
			call.start(new ClientCall.Listener<>() {

				@Override
				public void onClose(Status status, Metadata trailers) {
					closed.complete(status);
				}

			}, new Metadata());
			call.sendMessage(WatchRequest.newBuilder().setNode(caller.name()).build());
			call.halfClose();
			if (messagesToRead > 0) {
				call.request(messagesToRead);
			}
			return new Watch(call, closed);
		}

	}

}
