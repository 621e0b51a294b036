package io.jcilium.cli.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.grpc.ChannelCredentials;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.jcilium.api.identity.v1.Identity;
import io.jcilium.api.identity.v1.IdentityServiceGrpc;
import io.jcilium.api.identity.v1.ListRequest;
import io.jcilium.api.identity.v1.ListResponse;
import io.jcilium.api.identity.v1.LookupRequest;
import io.jcilium.cli.CommandFailedException;
import io.jcilium.cli.services.GrpcTarget;
import io.jcilium.cli.services.ServiceAddresses;
import io.jcilium.cli.services.ServiceAddresses.ServiceAddress;

/**
 * identity-service as the console reads it: {@code List} and {@code Lookup} of
 * {@code identity.v1}, each bounded by a deadline, a failure turned into one line that
 * names the service and what to do.
 */
public final class IdentityClient implements AutoCloseable {

	// Covers the channel's connection too, made in a cold JVM: on a loaded 2-core machine
	// 5 s ran out before a healthy local service could answer the console's first call.
	private static final long DEADLINE_SECONDS = 15;

	private static final GrpcTarget.Wording WORDING = new GrpcTarget.Wording("identity.v1",
			"; is it running? 'status identity' checks", "no answer within " + DEADLINE_SECONDS + " s");

	private final GrpcTarget grpc;

	private IdentityClient(String target, ChannelCredentials credentials) {
		this.grpc = new GrpcTarget("identity-service at", target, WORDING, credentials);
	}

	/**
	 * A client of the identity-service at {@code jcilium.services.identity.grpc}.
	 */
	public static IdentityClient open(ServiceAddresses addresses) {
		ServiceAddress identity = addresses.services().get("identity");
		if (identity == null || identity.grpc() == null) {
			throw new CommandFailedException(
					"no identity-service address configured: set jcilium.services.identity.grpc (host:port)");
		}
		return new IdentityClient(identity.grpc(), addresses.tls().credentials());
	}

	/**
	 * Every identity the service knows, reserved ones included, in its order: every page
	 * of {@code List}, following {@code next_page_token} to the end.
	 */
	public List<Identity> list() {
		try {
			List<Identity> all = new ArrayList<>();
			String token = "";
			do {
				ListResponse page = stub().list(ListRequest.newBuilder().setPageToken(token).build());
				all.addAll(page.getIdentitiesList());
				token = page.getNextPageToken();
			}
			while (!token.isEmpty());
			return all;
		}
		catch (StatusRuntimeException ex) {
			throw failure(ex);
		}
	}

	/**
	 * One identity.
	 * @throws CommandFailedException if the service does not know it, or fails
	 */
	public Identity get(long id) {
		try {
			Identity identity = stub().lookup(LookupRequest.newBuilder().setId((int) id).build());
			if (identity.getId() == 0) {
				throw notFound(id);
			}
			return identity;
		}
		catch (StatusRuntimeException ex) {
			if (ex.getStatus().getCode() == Status.Code.NOT_FOUND) {
				throw notFound(id);
			}
			throw failure(ex);
		}
	}

	private CommandFailedException notFound(long id) {
		return new CommandFailedException("identity " + id + " not found in identity-service at " + this.grpc.target()
				+ "; 'identity list' shows the identities");
	}

	private IdentityServiceGrpc.IdentityServiceBlockingStub stub() {
		return IdentityServiceGrpc.newBlockingStub(this.grpc.channel())
			.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
	}

	private CommandFailedException failure(StatusRuntimeException ex) {
		return this.grpc.failure(ex);
	}

	@Override
	public void close() {
		this.grpc.close();
	}

}
