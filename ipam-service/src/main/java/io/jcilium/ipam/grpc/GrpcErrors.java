package io.jcilium.ipam.grpc;

import java.util.function.Supplier;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.jcilium.ipam.block.BlockHeldException;
import io.jcilium.ipam.block.PoolChangedException;
import io.jcilium.ipam.block.PoolExhaustedException;
import io.jcilium.ipam.multipool.PoolInUseException;
import io.jcilium.ipam.multipool.UnknownPoolException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;

/**
 * Runs one unary call and turns domain errors into the status codes a client can act on:
 * bad input {@code INVALID_ARGUMENT}, unknown pool {@code NOT_FOUND}, pool still in use
 * {@code FAILED_PRECONDITION}, exhausted pool {@code RESOURCE_EXHAUSTED} (the message
 * names the pool), Redis unreachable {@code UNAVAILABLE} (retry later).
 */
final class GrpcErrors {

	private static final Log logger = LogFactory.getLog(GrpcErrors.class);

	private GrpcErrors() {
	}

	static <T> void respond(StreamObserver<T> observer, Supplier<T> call) {
		T response;
		try {
			response = call.get();
		}
		catch (RuntimeException ex) {
			observer.onError(toStatus(ex));
			return;
		}
		observer.onNext(response);
		observer.onCompleted();
	}

	static StatusRuntimeException toStatus(RuntimeException ex) {
		if (ex instanceof StatusRuntimeException status) {
			// Refused by the API's own rules (caller, limits), with its message.
			return status;
		}
		if (ex instanceof PoolExhaustedException) {
			return Status.RESOURCE_EXHAUSTED.withDescription(ex.getMessage()).asRuntimeException();
		}
		if (ex instanceof BlockHeldException held && held.heldByAnotherNode()) {
			return Status.ALREADY_EXISTS.withDescription(ex.getMessage()).asRuntimeException();
		}
		if (ex instanceof PoolInUseException || ex instanceof BlockHeldException) {
			return Status.FAILED_PRECONDITION.withDescription(ex.getMessage()).asRuntimeException();
		}
		if (ex instanceof PoolChangedException) {
			// Another replica deleted or redefined the pool meanwhile: the caller
			// retries.
			return Status.ABORTED.withDescription(ex.getMessage()).asRuntimeException();
		}
		if (ex instanceof UnknownPoolException) {
			return Status.NOT_FOUND.withDescription(ex.getMessage()).asRuntimeException();
		}
		if (ex instanceof IllegalArgumentException) {
			return Status.INVALID_ARGUMENT.withDescription(ex.getMessage()).asRuntimeException();
		}
		if (ex instanceof DataAccessException) {
			logger.warn("IPAM state store unavailable", ex);
			return Status.UNAVAILABLE
				.withDescription("IPAM state store (Redis) is unavailable: " + ex.getMessage() + "; retry later")
				.asRuntimeException();
		}
		logger.error("IPAM request failed", ex);
		return Status.INTERNAL.withDescription(ex.toString()).asRuntimeException();
	}

}
