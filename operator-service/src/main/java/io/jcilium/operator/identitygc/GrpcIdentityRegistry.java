package io.jcilium.operator.identitygc;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.jcilium.api.caller.Caller;
import io.jcilium.api.caller.CallerHeader;
import io.jcilium.api.identity.v1.Identity;
import io.jcilium.api.identity.v1.IdentityServiceGrpc.IdentityServiceBlockingStub;
import io.jcilium.api.identity.v1.ListRequest;
import io.jcilium.api.identity.v1.ListResponse;
import io.jcilium.api.identity.v1.ReleaseRequest;

/**
 * {@link IdentityRegistry} over identity-service's gRPC API ({@code identity.v1}).
 */
final class GrpcIdentityRegistry implements IdentityRegistry {

	/**
	 * Identities per List call: the service's largest page, each page its own deadline.
	 */
	private static final int PAGE_SIZE = 5000;

	private final IdentityServiceBlockingStub stub;

	private final long deadlineMillis;

	GrpcIdentityRegistry(IdentityServiceBlockingStub stub, long deadlineMillis) {
		// identity-service and ipam-service accept administration and calls for other
		// nodes only from the operator.
		this.stub = stub.withInterceptors(CallerHeader.declaring(Caller.operator()));
		this.deadlineMillis = deadlineMillis;
	}

	@Override
	public Set<Long> allocated() {
		Set<Long> ids = new HashSet<>();
		String pageToken = "";
		do {
			ListResponse page = this.stub.withDeadlineAfter(this.deadlineMillis, TimeUnit.MILLISECONDS)
				.list(ListRequest.newBuilder().setPageSize(PAGE_SIZE).setPageToken(pageToken).build());
			for (Identity identity : page.getIdentitiesList()) {
				if (!identity.getReserved()) {
					ids.add(Integer.toUnsignedLong(identity.getId()));
				}
			}
			pageToken = page.getNextPageToken();
		}
		while (!pageToken.isEmpty());
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
