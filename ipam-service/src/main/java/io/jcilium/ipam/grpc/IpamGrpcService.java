package io.jcilium.ipam.grpc;

import java.util.List;

import io.grpc.stub.StreamObserver;
import io.jcilium.api.ipam.v1.AllocateNodeCidrsRequest;
import io.jcilium.api.ipam.v1.AllocatePoolBlockRequest;
import io.jcilium.api.ipam.v1.GetNodeCidrsRequest;
import io.jcilium.api.ipam.v1.IpamServiceGrpc;
import io.jcilium.api.ipam.v1.ListPoolsRequest;
import io.jcilium.api.ipam.v1.ListPoolsResponse;
import io.jcilium.api.ipam.v1.NodeCidrs;
import io.jcilium.api.ipam.v1.PoolBlock;
import io.jcilium.api.ipam.v1.ReleaseNodeCidrsRequest;
import io.jcilium.api.ipam.v1.ReleaseNodeCidrsResponse;
import io.jcilium.api.ipam.v1.ReleasePoolBlockRequest;
import io.jcilium.api.ipam.v1.ReleasePoolBlockResponse;
import io.jcilium.ipam.block.BlockAllocator;
import io.jcilium.ipam.block.Family;
import io.jcilium.ipam.block.PoolUsage;
import io.jcilium.ipam.clusterpool.ClusterPool;
import io.jcilium.ipam.multipool.MultiPool;
import io.jcilium.ipam.multipool.NodeBlock;

import org.springframework.stereotype.Service;

/**
 * The {@code ipam.v1.IpamService} API over the cluster pool and the multi-pool pools.
 * Translation only: the rules live in {@link ClusterPool} and {@link MultiPool}.
 */
@Service
class IpamGrpcService extends IpamServiceGrpc.IpamServiceImplBase {

	private final ClusterPool clusterPool;

	private final MultiPool multiPool;

	IpamGrpcService(ClusterPool clusterPool, MultiPool multiPool) {
		this.clusterPool = clusterPool;
		this.multiPool = multiPool;
	}

	@Override
	public void allocateNodeCidrs(AllocateNodeCidrsRequest request, StreamObserver<NodeCidrs> observer) {
		GrpcErrors.respond(observer, () -> nodeCidrs(request.getNode(), this.clusterPool.allocate(request.getNode())));
	}

	@Override
	public void getNodeCidrs(GetNodeCidrsRequest request, StreamObserver<NodeCidrs> observer) {
		GrpcErrors.respond(observer, () -> nodeCidrs(request.getNode(), this.clusterPool.podCidrs(request.getNode())));
	}

	@Override
	public void releaseNodeCidrs(ReleaseNodeCidrsRequest request, StreamObserver<ReleaseNodeCidrsResponse> observer) {
		GrpcErrors.respond(observer, () -> {
			BlockAllocator.requireNodeName(request.getNode());
			ReleaseNodeCidrsResponse.Builder response = ReleaseNodeCidrsResponse.newBuilder()
				.addAllReleasedCidrs(this.clusterPool.release(request.getNode()));
			this.multiPool.releaseAll(request.getNode()).forEach((block) -> response.addReleasedCidrs(block.cidr()));
			return response.build();
		});
	}

	@Override
	public void allocatePoolBlock(AllocatePoolBlockRequest request, StreamObserver<PoolBlock> observer) {
		GrpcErrors.respond(observer, () -> {
			Family family = Family.fromCode(request.getFamily());
			int count = Math.max(1, request.getBlockCount());
			List<String> blocks = this.multiPool.allocate(request.getPool(), request.getNode(), family, count);
			return PoolBlock.newBuilder()
				.setPool(request.getPool())
				.setNode(request.getNode())
				.setCidr(blocks.get(blocks.size() - 1))
				.build();
		});
	}

	@Override
	public void releasePoolBlock(ReleasePoolBlockRequest request, StreamObserver<ReleasePoolBlockResponse> observer) {
		GrpcErrors.respond(observer,
				() -> ReleasePoolBlockResponse.newBuilder()
					.setReleased(this.multiPool.release(request.getPool(), request.getNode(), request.getCidr()))
					.build());
	}

	@Override
	public void listPools(ListPoolsRequest request, StreamObserver<ListPoolsResponse> observer) {
		GrpcErrors.respond(observer, () -> {
			ListPoolsResponse.Builder response = ListPoolsResponse.newBuilder();
			response.addPools(pool(this.clusterPool.usage()));
			this.multiPool.usages().forEach((usage) -> response.addPools(pool(usage)));
			return response.build();
		});
	}

	private NodeCidrs nodeCidrs(String node, List<String> podCidrs) {
		NodeCidrs.Builder cidrs = NodeCidrs.newBuilder().setNode(node).addAllPodCidrs(podCidrs);
		for (NodeBlock block : this.multiPool.blocksOf(node)) {
			cidrs.addPoolBlocks(
					PoolBlock.newBuilder().setPool(block.pool()).setNode(block.node()).setCidr(block.cidr()).build());
		}
		return cidrs.build();
	}

	private static io.jcilium.api.ipam.v1.Pool pool(PoolUsage usage) {
		return io.jcilium.api.ipam.v1.Pool.newBuilder()
			.setName(usage.name())
			.addAllCidrs(usage.cidrs())
			.setIpv4MaskSize(usage.ipv4MaskSize())
			.setIpv6MaskSize(usage.ipv6MaskSize())
			.setBlocksInUse(usage.blocksInUse())
			.setBlocksTotal(usage.blocksTotal())
			.build();
	}

}
