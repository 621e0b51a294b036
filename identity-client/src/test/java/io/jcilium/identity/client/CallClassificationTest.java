package io.jcilium.identity.client;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CallClassificationTest {

	@Test
	void onlyTransientCodesAreRetried() {
		assertThat(CallClassification.isRetryable(Status.UNAVAILABLE.asRuntimeException())).isTrue();
		assertThat(CallClassification.isRetryable(Status.DEADLINE_EXCEEDED.asRuntimeException())).isTrue();
		assertThat(CallClassification.isRetryable(Status.RESOURCE_EXHAUSTED.asRuntimeException())).isTrue();
		assertThat(CallClassification.isRetryable(Status.ABORTED.asRuntimeException())).isTrue();
		assertThat(CallClassification.isRetryable(Status.INVALID_ARGUMENT.asRuntimeException())).isFalse();
		assertThat(CallClassification.isRetryable(Status.NOT_FOUND.asRuntimeException())).isFalse();
		assertThat(CallClassification.isRetryable(Status.INTERNAL.asRuntimeException())).isFalse();
		assertThat(CallClassification.isRetryable(new IllegalStateException("not a gRPC failure"))).isFalse();
	}

	@Test
	void onlyUnreachableOrSlowServiceCountsAgainstTheBreaker() {
		assertThat(CallClassification.isServiceFailure(Status.UNAVAILABLE.asRuntimeException())).isTrue();
		assertThat(CallClassification.isServiceFailure(Status.DEADLINE_EXCEEDED.asRuntimeException())).isTrue();
		// Answers of a working service.
		assertThat(CallClassification.isServiceFailure(Status.RESOURCE_EXHAUSTED.asRuntimeException())).isFalse();
		assertThat(CallClassification.isServiceFailure(Status.INVALID_ARGUMENT.asRuntimeException())).isFalse();
		assertThat(CallClassification.isServiceFailure(Status.NOT_FOUND.asRuntimeException())).isFalse();
	}

	@Test
	void descriptionNamesCodeServiceMessageAndTransportCause() {
		assertThat(CallClassification
			.describe(Status.UNAVAILABLE.withDescription("Redis is unavailable").asRuntimeException()))
			.isEqualTo("UNAVAILABLE: Redis is unavailable");
		assertThat(CallClassification.describe(Status.UNAVAILABLE.withDescription("io exception")
			.withCause(new java.net.ConnectException("Connection refused"))
			.asRuntimeException())).isEqualTo("UNAVAILABLE: io exception (Connection refused)");
	}

}
