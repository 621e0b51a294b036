package io.jcilium.identity.grpc;

import io.grpc.Status;
import io.jcilium.identity.allocation.IdentityNotFoundException;
import io.jcilium.identity.allocation.IdentityRangeExhaustedException;
import io.jcilium.identity.allocation.IdentityStoreUnavailableException;
import io.jcilium.identity.allocation.InvalidIdentityRequestException;
import io.jcilium.identity.allocation.NamespaceIdentityBudgetException;
import io.jcilium.identity.allocation.NodeIdentityLimitException;

/**
 * Maps allocator errors to gRPC status codes, keeping their messages: they are written
 * for the caller.
 */
final class GrpcErrors {

	private GrpcErrors() {
	}

	static Status toStatus(RuntimeException ex) {
		Status status;
		if (ex instanceof InvalidIdentityRequestException) {
			status = Status.INVALID_ARGUMENT;
		}
		else if (ex instanceof IdentityNotFoundException) {
			status = Status.NOT_FOUND;
		}
		else if (ex instanceof IdentityStoreUnavailableException) {
			status = Status.UNAVAILABLE;
		}
		else if (ex instanceof IdentityRangeExhaustedException || ex instanceof NodeIdentityLimitException
				|| ex instanceof NamespaceIdentityBudgetException) {
			status = Status.RESOURCE_EXHAUSTED;
		}
		else {
			status = Status.INTERNAL;
		}
		return status.withDescription(ex.getMessage()).withCause(ex);
	}

}
