package io.jcilium.operator.identitygc;

import java.time.Duration;

import io.jcilium.api.identity.v1.IdentityServiceGrpc;
import io.jcilium.operator.grpc.SilentPeer;
import org.junit.jupiter.api.Test;

/**
 * Every call of the operator's identity GC to an identity-service that accepts the call
 * and never answers ends at its deadline with {@code DEADLINE_EXCEEDED} (issue 17 point
 * 2), so a GC pass fails and is retried instead of hanging.
 */
class IdentityDeadlineIT {

	private static final Duration DEADLINE = Duration.ofMillis(500);

	@Test
	void everyIdentityCallEndsAtItsDeadline() throws Exception {
		try (SilentPeer identity = new SilentPeer(IdentityServiceGrpc.getServiceDescriptor())) {
			GrpcIdentityRegistry registry = new GrpcIdentityRegistry(
					IdentityServiceGrpc.newBlockingStub(identity.channel()), DEADLINE.toMillis());
			identity.assertEndsAtItsDeadline("List", DEADLINE, registry::allocated);
			identity.assertEndsAtItsDeadline("Release", DEADLINE, () -> registry.release(300, "node-1"));
		}
	}

}
