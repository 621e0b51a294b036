package io.jcilium.operator.identitygc;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.jcilium.api.identity.v1.Identity;
import io.jcilium.api.identity.v1.IdentityServiceGrpc.IdentityServiceBlockingStub;
import io.jcilium.api.identity.v1.ListRequest;
import io.jcilium.api.identity.v1.ReleaseRequest;

/**
 * {@link IdentityRegistry} over identity-service's gRPC API ({@code identity.v1}).
 */
final class GrpcIdentityRegistry implements IdentityRegistry {

	private final IdentityServiceBlockingStub stub;

	private final long deadlineMillis;

	GrpcIdentityRegistry(IdentityServiceBlockingStub stub, long deadlineMillis) {
		this.stub = stub;
		this.deadlineMillis = deadlineMillis;
	}

	@Override
	public Set<Long> allocated() {
		Set<Long> ids = new HashSet<>();
		for (Identity identity : this.stub.withDeadlineAfter(this.deadlineMillis, TimeUnit.MILLISECONDS)
			.list(ListRequest.getDefaultInstance())
			.getIdentitiesList()) {
			if (!identity.getReserved()) {
				ids.add(Integer.toUnsignedLong(identity.getId()));
			}
		}
		return ids;
	}

	@Override
	public boolean release(long id, String node) {
		try {
			this.stub.withDeadlineAfter(this.deadlineMillis, TimeUnit.MILLISECONDS)
				.release(ReleaseRequest.newBuilder().setId((int) id).setNode(node).build());
			return true;
		}
		catch (StatusRuntimeException ex) {
			if (ex.getStatus().getCode() == Status.Code.NOT_FOUND) {
				return false;
			}
			throw ex;
		}
	}

}
