package io.jcilium.operator.node;

import java.time.Duration;
import java.util.List;

import io.jcilium.api.ipam.v1.IpamServiceGrpc;
import io.jcilium.operator.grpc.SilentPeer;
import org.junit.jupiter.api.Test;

/**
 * Every call of the operator's node CIDR allocator to an ipam-service that accepts the
 * call and never answers ends at its deadline with {@code DEADLINE_EXCEEDED} (issue 17
 * point 2: every outgoing call with a deadline), so the node pass fails and is retried
 * instead of hanging the leader.
 */
class IpamDeadlineIT {

	private static final Duration DEADLINE = Duration.ofMillis(500);

	@Test
	void everyNodeCidrCallEndsAtItsDeadline() throws Exception {
		try (SilentPeer ipam = new SilentPeer(IpamServiceGrpc.getServiceDescriptor())) {
			GrpcNodeCidrAllocator allocator = new GrpcNodeCidrAllocator(IpamServiceGrpc.newBlockingStub(ipam.channel()),
					DEADLINE.toMillis());
			ipam.assertEndsAtItsDeadline("AllocateNodeCidrs", DEADLINE, () -> allocator.allocate("node-1"));
			ipam.assertEndsAtItsDeadline("ClaimNodeCidrs", DEADLINE,
					() -> allocator.claim("node-1", List.of("10.0.1.0/24")));
			ipam.assertEndsAtItsDeadline("ListAllocatedNodes", DEADLINE, allocator::allocatedNodes);
			ipam.assertEndsAtItsDeadline("ReleaseNodeCidrs", DEADLINE, () -> {
				allocator.release("node-1");
				return null;
			});
		}
	}

}
