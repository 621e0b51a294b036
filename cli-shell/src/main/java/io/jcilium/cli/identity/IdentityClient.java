package io.jcilium.cli.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.jcilium.api.identity.v1.Identity;
import io.jcilium.api.identity.v1.IdentityServiceGrpc;
import io.jcilium.api.identity.v1.ListRequest;
import io.jcilium.api.identity.v1.ListResponse;
import io.jcilium.api.identity.v1.LookupRequest;
import io.jcilium.cli.CommandFailedException;
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

	private final String target;

	private final ManagedChannel channel;

	private IdentityClient(String target) {
		this.target = target;
		this.channel = Grpc.newChannelBuilder(target, InsecureChannelCredentials.create()).build();
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
		return new IdentityClient(identity.grpc());
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
		return new CommandFailedException("identity " + id + " not found in identity-service at " + this.target
				+ "; 'identity list' shows the identities");
	}

	private IdentityServiceGrpc.IdentityServiceBlockingStub stub() {
		return IdentityServiceGrpc.newBlockingStub(this.channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
	}

	private CommandFailedException failure(StatusRuntimeException ex) {
		Status status = ex.getStatus();
		String reason = switch (status.getCode()) {
			case UNAVAILABLE ->
				"cannot reach it (" + description(status) + "); is it running? 'status identity' checks";
			case DEADLINE_EXCEEDED -> "no answer within " + DEADLINE_SECONDS + " s";
			case UNIMPLEMENTED -> "it does not serve identity.v1";
			default -> status.getCode() + ": " + description(status);
		};
		return new CommandFailedException("identity-service at " + this.target + ": " + reason);
	}

	private static String description(Status status) {
		if (status.getDescription() != null) {
			return status.getDescription();
		}
		return (status.getCause() != null) ? String.valueOf(status.getCause().getMessage()) : status.getCode().name();
	}

	@Override
	public void close() {
		this.channel.shutdownNow();
		try {
			this.channel.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
