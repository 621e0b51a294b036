package io.jcilium.cli.identity;

import java.io.IOException;
import java.util.List;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.jcilium.api.identity.v1.Identity;
import io.jcilium.api.identity.v1.IdentityServiceGrpc;
import io.jcilium.api.identity.v1.ListRequest;
import io.jcilium.api.identity.v1.ListResponse;
import io.jcilium.api.identity.v1.LookupRequest;

/**
 * A real gRPC server on a random loopback port serving identity.v1's {@code List} and
 * {@code Lookup} from a fixed set, answering an unknown id NOT_FOUND as identity-service
 * does. The identities are given out of order, as a store may hold them.
 */
public final class TestIdentityService implements AutoCloseable {

	public static final List<Identity> IDENTITIES = List.of(
			identity(12345, false, "k8s:app=web", "k8s:io.cilium.k8s.policy.serviceaccount=default",
					"k8s:io.kubernetes.pod.namespace=shop"),
			identity(1, true, "reserved:host"), identity(2, true, "reserved:world"),
			identity(23456, false, "k8s:app=db", "k8s:io.kubernetes.pod.namespace=shop"),
			identity(5, true, "reserved:init"));

	private final Server server;

	private final int port;

	/** Plaintext, as a service started with the development setting listens. */
	public TestIdentityService() throws IOException {
		this(InsecureServerCredentials.create());
	}

	/**
	 * @param credentials how the server listens, e.g. TLS requiring a client certificate
	 */
	public TestIdentityService(ServerCredentials credentials) throws IOException {
		this.server = Grpc.newServerBuilderForPort(0, credentials).addService(new Service()).build().start();
		this.port = this.server.getPort();
	}

	/** The console property pointing at this server. */
	public String property() {
		return "--jcilium.services.identity.grpc=127.0.0.1:" + this.port;
	}

	@Override
	public void close() {
		this.server.shutdownNow();
	}

	private static Identity identity(int id, boolean reserved, String... labels) {
		return Identity.newBuilder().setId(id).setReserved(reserved).addAllLabels(List.of(labels)).build();
	}

	private static final class Service extends IdentityServiceGrpc.IdentityServiceImplBase {

		@Override
		public void list(ListRequest request, StreamObserver<ListResponse> responses) {
			// Pages of two, the token naming the last id sent, as identity-service pages:
			// the console must follow them to show everything.
			int from = 0;
			if (!request.getPageToken().isEmpty()) {
				int after = Integer.parseInt(request.getPageToken());
				while (IDENTITIES.get(from).getId() != after) {
					from++;
				}
				from++;
			}
			int to = Math.min(from + 2, IDENTITIES.size());
			ListResponse.Builder page = ListResponse.newBuilder().addAllIdentities(IDENTITIES.subList(from, to));
			if (to < IDENTITIES.size()) {
				page.setNextPageToken(Integer.toString(IDENTITIES.get(to - 1).getId()));
			}
			responses.onNext(page.build());
			responses.onCompleted();
		}

		@Override
		public void lookup(LookupRequest request, StreamObserver<Identity> responses) {
			IDENTITIES.stream()
				.filter((identity) -> identity.getId() == request.getId())
				.findFirst()
				.ifPresentOrElse((identity) -> {
					responses.onNext(identity);
					responses.onCompleted();
				}, () -> responses
					.onError(Status.NOT_FOUND.withDescription("no identity " + request.getId()).asRuntimeException()));
		}

	}

}
