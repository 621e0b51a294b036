package io.jcilium.identity.client;

import java.util.EnumSet;
import java.util.Set;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Which failed calls are worth another attempt, and which say the service is unwell.
 */
final class CallClassification {

	/**
	 * Codes another attempt may cure: the service or its Redis is briefly away or busy,
	 * or the attempt ran out of time. Every identity-service call is idempotent
	 * (allocate-or-get, set removal), so a retry never does a thing twice.
	 */
	static final Set<Status.Code> RETRYABLE = EnumSet.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED,
			Status.Code.RESOURCE_EXHAUSTED, Status.Code.ABORTED);

	/**
	 * Codes that count against the service in the circuit breaker. RESOURCE_EXHAUSTED and
	 * the like are answers of a working service (e.g. the identity range is full), not
	 * signs that it is down.
	 */
	static final Set<Status.Code> SERVICE_FAILURES = EnumSet.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED);

	private CallClassification() {
	}

	static boolean isRetryable(Throwable failure) {
		return (failure instanceof StatusRuntimeException status) && RETRYABLE.contains(status.getStatus().getCode());
	}

	static boolean isServiceFailure(Throwable failure) {
		return (failure instanceof StatusRuntimeException status)
				&& SERVICE_FAILURES.contains(status.getStatus().getCode());
	}

	/**
	 * The failure in words: the code, the service's description and, for transport
	 * failures, the cause (e.g. {@code Connection refused}).
	 */
	static String describe(StatusRuntimeException failure) {
		Status status = failure.getStatus();
		StringBuilder text = new StringBuilder(status.getCode().name());
		if (status.getDescription() != null) {
			text.append(": ").append(status.getDescription());
		}
		Throwable cause = status.getCause();
		if (cause != null && cause.getMessage() != null
				&& (status.getDescription() == null || !status.getDescription().contains(cause.getMessage()))) {
			text.append(" (").append(cause.getMessage()).append(')');
		}
		return text.toString();
	}

}
