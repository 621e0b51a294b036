package io.jcilium.identity.client;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.jcilium.api.caller.Caller;
import io.jcilium.api.caller.CallerHeader;
import io.jcilium.api.identity.v1.AllocateRequest;
import io.jcilium.api.identity.v1.HeartbeatRequest;
import io.jcilium.api.identity.v1.HeartbeatResponse;
import io.jcilium.api.identity.v1.Identity;
import io.jcilium.api.identity.v1.IdentityServiceGrpc;
import io.jcilium.api.identity.v1.LookupByLabelsRequest;
import io.jcilium.api.identity.v1.LookupRequest;
import io.jcilium.api.identity.v1.RegisterRequest;
import io.jcilium.api.identity.v1.RegisterResponse;
import io.jcilium.api.identity.v1.ReleaseRequest;
import io.jcilium.common.label.Label;
import io.jcilium.common.label.Labels;

/**
 * The unary calls to identity-service: builds each request, runs it through
 * {@link GuardedCalls} and maps the answer (and NOT_FOUND) to domain values. No cache and
 * no reserved identities here: {@link IdentityClient} answers those first.
 */
final class IdentityCalls {

	private final ManagedChannel channel;

	private final GuardedCalls calls;

	private final ClientInterceptor caller;

	/**
	 * @param channel the channel to identity-service
	 * @param calls runs each call with deadline, retries and breaker
	 * @param node the node every call is made as: the service lets a node act only for
	 * itself
	 */
	IdentityCalls(ManagedChannel channel, GuardedCalls calls, String node) {
		this.channel = channel;
		this.calls = calls;
		this.caller = CallerHeader.declaring(Caller.node(node));
	}

	long allocate(Labels labels, String node) {
		AllocateRequest request = AllocateRequest.newBuilder().addAllLabels(texts(labels)).setNode(node).build();
		return this.calls.call("allocate", (deadline) -> Integer
			.toUnsignedLong(stub().withDeadline(deadline).allocate(request).getIdentity().getId()));
	}

	boolean release(long id, String node) {
		ReleaseRequest request = ReleaseRequest.newBuilder().setId((int) id).setNode(node).build();
		return this.calls
			.call("release",
					(deadline) -> notFoundAsEmpty(() -> stub().withDeadline(deadline).release(request).getReleased()))
			.orElse(false);
	}

	Optional<Labels> lookup(long id) {
		LookupRequest request = LookupRequest.newBuilder().setId((int) id).build();
		return this.calls
			.call("lookup", (deadline) -> notFoundAsEmpty(() -> stub().withDeadline(deadline).lookup(request)))
			.map((identity) -> Labels.parse(identity.getLabelsList()));
	}

	OptionalLong lookupByLabels(Labels labels) {
		LookupByLabelsRequest request = LookupByLabelsRequest.newBuilder().addAllLabels(texts(labels)).build();
		Optional<Identity> found = this.calls.call("lookup-by-labels",
				(deadline) -> notFoundAsEmpty(() -> stub().withDeadline(deadline).lookupByLabels(request)));
		return found.map((identity) -> OptionalLong.of(Integer.toUnsignedLong(identity.getId())))
			.orElse(OptionalLong.empty());
	}

	LeaseRenewal heartbeat(String node) {
		HeartbeatRequest request = HeartbeatRequest.newBuilder().setNode(node).build();
		HeartbeatResponse response = this.calls.call("heartbeat",
				(deadline) -> stub().withDeadline(deadline).heartbeat(request));
		return new LeaseRenewal(Duration.ofSeconds(Integer.toUnsignedLong(response.getLeaseTtlSeconds())),
				response.getLeaseLost());
	}

	/** The identity each held one has now, by held number, in the held map's order. */
	Map<Long, Long> register(Map<Long, Labels> held, String node) {
		RegisterRequest.Builder request = RegisterRequest.newBuilder().setNode(node);
		held.forEach((id, labels) -> request
			.addIdentities(Identity.newBuilder().setId(id.intValue()).addAllLabels(texts(labels)).build()));
		RegisterResponse response = this.calls.call("register",
				(deadline) -> stub().withDeadline(deadline).register(request.build()));
		Map<Long, Long> now = new LinkedHashMap<>();
		int i = 0;
		for (Long id : held.keySet()) {
			now.put(id, Integer.toUnsignedLong(response.getIdentities(i++).getId()));
		}
		return now;
	}

	/**
	 * A renewed lease.
	 *
	 * @param ttl how long it lasts without another renewal
	 * @param leaseLost whether the node had lost it (expired, or the store lost its data)
	 */
	record LeaseRenewal(Duration ttl, boolean leaseLost) {
	}

	private IdentityServiceGrpc.IdentityServiceBlockingStub stub() {
		return IdentityServiceGrpc.newBlockingStub(this.channel).withInterceptors(this.caller);
	}

	private static <T> Optional<T> notFoundAsEmpty(Supplier<T> call) {
		try {
			return Optional.of(call.get());
		}
		catch (StatusRuntimeException ex) {
			if (ex.getStatus().getCode() == Status.Code.NOT_FOUND) {
				return Optional.empty();
			}
			throw ex;
		}
	}

	private static List<String> texts(Labels labels) {
		return labels.toList().stream().map(Label::toString).toList();
	}

}
