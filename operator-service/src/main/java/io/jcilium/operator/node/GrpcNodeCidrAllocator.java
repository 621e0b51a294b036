package io.jcilium.operator.node;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.jcilium.api.caller.Caller;
import io.jcilium.api.caller.CallerHeader;
import io.jcilium.api.ipam.v1.AllocateNodeCidrsRequest;
import io.jcilium.api.ipam.v1.ClaimNodeCidrsRequest;
import io.jcilium.api.ipam.v1.IpamServiceGrpc.IpamServiceBlockingStub;
import io.jcilium.api.ipam.v1.ListAllocatedNodesRequest;
import io.jcilium.api.ipam.v1.ReleaseNodeCidrsRequest;

/**
 * {@link NodeCidrAllocator} over ipam-service's gRPC API ({@code ipam.v1.IpamService}).
 * Errors surface as gRPC status exceptions, which fail the reconcile pass so it is
 * retried by the controller's reconcile job with backoff (see {@code ReconcileLoop}).
 */
final class GrpcNodeCidrAllocator implements NodeCidrAllocator {

	private final IpamServiceBlockingStub stub;

	private final long deadlineMillis;

	GrpcNodeCidrAllocator(IpamServiceBlockingStub stub, long deadlineMillis) {
		// identity-service and ipam-service accept administration and calls for other
		// nodes only from the operator.
		this.stub = stub.withInterceptors(CallerHeader.declaring(Caller.operator()));
		this.deadlineMillis = deadlineMillis;
	}

	@Override
	public List<String> allocate(String node) {
		return this.stub.withDeadlineAfter(this.deadlineMillis, TimeUnit.MILLISECONDS)
			.allocateNodeCidrs(AllocateNodeCidrsRequest.newBuilder().setNode(node).build())
			.getPodCidrsList();
	}

	@Override
	public List<String> claim(String node, List<String> podCidrs) {
		return this.stub.withDeadlineAfter(this.deadlineMillis, TimeUnit.MILLISECONDS)
			.claimNodeCidrs(ClaimNodeCidrsRequest.newBuilder().setNode(node).addAllPodCidrs(podCidrs).build())
			.getPodCidrsList();
	}

	@Override
	public Set<String> allocatedNodes() {
		return Set.copyOf(this.stub.withDeadlineAfter(this.deadlineMillis, TimeUnit.MILLISECONDS)
			.listAllocatedNodes(ListAllocatedNodesRequest.getDefaultInstance())
			.getNodesList());
	}

	@Override
	public void release(String node) {
		this.stub.withDeadlineAfter(this.deadlineMillis, TimeUnit.MILLISECONDS)
			.releaseNodeCidrs(ReleaseNodeCidrsRequest.newBuilder().setNode(node).build());
	}

}
