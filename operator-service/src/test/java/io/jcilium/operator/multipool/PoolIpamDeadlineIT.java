package io.jcilium.operator.multipool;

import java.time.Duration;
import java.util.List;

import io.jcilium.api.ipam.v1.IpamServiceGrpc;
import io.jcilium.operator.grpc.SilentPeer;
import org.junit.jupiter.api.Test;

/**
 * Every call of the operator's multi-pool IPAM client to an ipam-service that accepts the
 * call and never answers ends at its deadline with {@code DEADLINE_EXCEEDED} (issue 17
 * point 2), never as a pool rejection.
 */
class PoolIpamDeadlineIT {

	private static final Duration DEADLINE = Duration.ofMillis(500);

	@Test
	void everyPoolCallEndsAtItsDeadline() throws Exception {
		try (SilentPeer ipam = new SilentPeer(IpamServiceGrpc.getServiceDescriptor())) {
			GrpcPoolIpam pools = new GrpcPoolIpam(IpamServiceGrpc.newBlockingStub(ipam.channel()), DEADLINE.toMillis());
			ipam.assertEndsAtItsDeadline("ListPools", DEADLINE, pools::pools);
			ipam.assertEndsAtItsDeadline("UpsertPool", DEADLINE, () -> {
				pools.upsert(new PoolIpam.PoolDefinition("blue", List.of("10.20.0.0/16"), 24, List.of(), 0));
				return null;
			});
			ipam.assertEndsAtItsDeadline("DeletePool", DEADLINE, () -> pools.delete("blue"));
			ipam.assertEndsAtItsDeadline("AllocatePoolBlock", DEADLINE, () -> {
				pools.ensureBlocks("blue", "node-1", "ipv4", 1);
				return null;
			});
			ipam.assertEndsAtItsDeadline("GetNodeCidrs", DEADLINE, () -> pools.blocksOf("node-1"));
			ipam.assertEndsAtItsDeadline("ReleasePoolBlock", DEADLINE, () -> {
				pools.release("blue", "node-1", "10.20.0.0/24");
				return null;
			});
		}
	}

}
