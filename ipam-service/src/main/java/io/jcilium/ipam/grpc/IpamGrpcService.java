package io.jcilium.ipam.grpc;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.jcilium.api.caller.Caller;
import io.jcilium.api.ipam.v1.AllocateNodeCidrsRequest;
import io.jcilium.api.ipam.v1.AllocatePoolBlockRequest;
import io.jcilium.api.ipam.v1.ClaimNodeCidrsRequest;
import io.jcilium.api.ipam.v1.DeletePoolRequest;
import io.jcilium.api.ipam.v1.DeletePoolResponse;
import io.jcilium.api.ipam.v1.GetNodeCidrsRequest;
import io.jcilium.api.ipam.v1.IpamServiceGrpc;
import io.jcilium.api.ipam.v1.ListAllocatedNodesRequest;
import io.jcilium.api.ipam.v1.ListAllocatedNodesResponse;
import io.jcilium.api.ipam.v1.ListPoolsRequest;
import io.jcilium.api.ipam.v1.ListPoolsResponse;
import io.jcilium.api.ipam.v1.NodeCidrs;
import io.jcilium.api.ipam.v1.PoolBlock;
import io.jcilium.api.ipam.v1.ReleaseNodeCidrsRequest;
import io.jcilium.api.ipam.v1.ReleaseNodeCidrsResponse;
import io.jcilium.api.ipam.v1.ReleasePoolBlockRequest;
import io.jcilium.api.ipam.v1.ReleasePoolBlockResponse;
import io.jcilium.api.ipam.v1.UpsertPoolRequest;
import io.jcilium.ipam.block.BlockAllocator;
import io.jcilium.ipam.block.BlockSpace;
import io.jcilium.ipam.block.Family;
import io.jcilium.ipam.block.Pool;
import io.jcilium.ipam.block.PoolUsage;
import io.jcilium.ipam.clusterpool.ClusterPool;
import io.jcilium.ipam.clusterpool.IpamModeProperties;
import io.jcilium.ipam.multipool.MultiPool;
import io.jcilium.ipam.multipool.NodeBlock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * The {@code ipam.v1.IpamService} API over the cluster pool (none in multi-pool mode) and
 * the multi-pool pools. Translation and the rules of the API's callers ({@link Caller}):
 * calls that allocate or release for a node are accepted only from that node or the
 * operator; releasing a node's CIDRs and changing pools only from the operator; reads
 * from anyone. The address rules live in {@link ClusterPool} and {@link MultiPool}.
 */
@Service
class IpamGrpcService extends IpamServiceGrpc.IpamServiceImplBase {

	private static final Logger logger = LoggerFactory.getLogger(IpamGrpcService.class);

	/** {@code null} in multi-pool mode, where nodes get pool blocks only. */
	private final ClusterPool clusterPool;

	private final MultiPool multiPool;

	private final BlockAllocator blockAllocator;

	private final int maxPoolBlocksPerNode;

	/**
	 * @param clusterPool the cluster pool; none in multi-pool mode
	 */
	IpamGrpcService(ObjectProvider<ClusterPool> clusterPool, MultiPool multiPool, BlockAllocator blockAllocator,
			IpamGrpcProperties properties) {
		this.clusterPool = clusterPool.getIfAvailable();
		this.multiPool = multiPool;
		this.blockAllocator = blockAllocator;
		this.maxPoolBlocksPerNode = properties.maxPoolBlocksPerNode();
	}

	@Override
	public void allocateNodeCidrs(AllocateNodeCidrsRequest request, StreamObserver<NodeCidrs> observer) {
		GrpcErrors.respond(observer, () -> {
			Caller.current().requireActingFor(request.getNode(), "AllocateNodeCidrs");
			return nodeCidrs(request.getNode(), clusterPool("AllocateNodeCidrs").allocate(request.getNode()));
		});
	}

	@Override
	public void claimNodeCidrs(ClaimNodeCidrsRequest request, StreamObserver<NodeCidrs> observer) {
		GrpcErrors.respond(observer, () -> {
			// Only the operator: a node could otherwise claim another node's CIDR.
			Caller.current().requireOperator("ClaimNodeCidrs");
			return nodeCidrs(request.getNode(),
					clusterPool("ClaimNodeCidrs").claim(request.getNode(), request.getPodCidrsList()));
		});
	}

	@Override
	public void getNodeCidrs(GetNodeCidrsRequest request, StreamObserver<NodeCidrs> observer) {
		GrpcErrors.respond(observer, () -> nodeCidrs(request.getNode(),
				(this.clusterPool != null) ? this.clusterPool.podCidrs(request.getNode()) : List.of()));
	}

	@Override
	public void releaseNodeCidrs(ReleaseNodeCidrsRequest request, StreamObserver<ReleaseNodeCidrsResponse> observer) {
		GrpcErrors.respond(observer, () -> {
			Caller.current().requireOperator("ReleaseNodeCidrs");
			BlockAllocator.requireNodeName(request.getNode());
			ReleaseNodeCidrsResponse.Builder response = ReleaseNodeCidrsResponse.newBuilder();
			if (this.clusterPool != null) {
				response.addAllReleasedCidrs(this.clusterPool.release(request.getNode()));
			}
			this.multiPool.releaseAll(request.getNode()).forEach((block) -> response.addReleasedCidrs(block.cidr()));
			return response.build();
		});
	}

	@Override
	public void allocatePoolBlock(AllocatePoolBlockRequest request, StreamObserver<PoolBlock> observer) {
		GrpcErrors.respond(observer, () -> {
			Caller.current().requireActingFor(request.getNode(), "AllocatePoolBlock");
			Family family = Family.fromCode(request.getFamily());
			if (Integer.toUnsignedLong(request.getBlockCount()) > this.maxPoolBlocksPerNode) {
				throw Status.RESOURCE_EXHAUSTED
					.withDescription("block_count " + Integer.toUnsignedString(request.getBlockCount())
							+ " is more than " + IpamGrpcProperties.MAX_BLOCKS_PROPERTY + "="
							+ this.maxPoolBlocksPerNode + " allows one node in one pool and family")
					.asRuntimeException();
			}
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
		GrpcErrors.respond(observer, () -> {
			Caller.current().requireActingFor(request.getNode(), "ReleasePoolBlock");
			return ReleasePoolBlockResponse.newBuilder()
				.setReleased(this.multiPool.release(request.getPool(), request.getNode(), request.getCidr()))
				.build();
		});
	}

	@Override
	public void listPools(ListPoolsRequest request, StreamObserver<ListPoolsResponse> observer) {
		GrpcErrors.respond(observer, () -> {
			ListPoolsResponse.Builder response = ListPoolsResponse.newBuilder();
			if (this.clusterPool != null) {
				response.addPools(pool(this.clusterPool.usage(), true));
			}
			this.multiPool.usages()
				.forEach((usage) -> response.addPools(pool(usage, this.multiPool.isConfigured(usage.name()))));
			return response.build();
		});
	}

	@Override
	public void upsertPool(UpsertPoolRequest request, StreamObserver<io.jcilium.api.ipam.v1.Pool> observer) {
		GrpcErrors.respond(observer, () -> {
			Caller.current().requireOperator("UpsertPool");
			Pool pool = Pool.of(request.getName(), request.getIpv4CidrsList(), request.getIpv4MaskSize(),
					request.getIpv6CidrsList(), request.getIpv6MaskSize());
			if (this.multiPool.upsert(pool)) {
				logger.info("Pool {} set to {}", pool.name(),
						pool.spaces().stream().map(BlockSpace::describe).toList());
			}
			return pool(PoolUsage.of(pool, this.blockAllocator), false);
		});
	}

	@Override
	public void deletePool(DeletePoolRequest request, StreamObserver<DeletePoolResponse> observer) {
		GrpcErrors.respond(observer, () -> {
			Caller.current().requireOperator("DeletePool");
			boolean deleted = this.multiPool.remove(request.getName());
			if (deleted) {
				logger.info("Pool {} deleted", request.getName());
			}
			return DeletePoolResponse.newBuilder().setDeleted(deleted).build();
		});
	}

	@Override
	public void listAllocatedNodes(ListAllocatedNodesRequest request,
			StreamObserver<ListAllocatedNodesResponse> observer) {
		GrpcErrors.respond(observer, () -> {
			Set<String> nodes = new TreeSet<>();
			if (this.clusterPool != null) {
				nodes.addAll(this.clusterPool.nodes());
			}
			nodes.addAll(this.multiPool.nodes());
			return ListAllocatedNodesResponse.newBuilder().addAllNodes(nodes).build();
		});
	}

	/**
	 * The cluster pool, or the refusal a caller gets in multi-pool mode, where no node
	 * gets a cluster-pool pod CIDR.
	 */
	private ClusterPool clusterPool(String call) {
		if (this.clusterPool == null) {
			throw Status.FAILED_PRECONDITION.withDescription(call + ": ipam-service runs in "
					+ IpamModeProperties.MULTI_POOL + " mode (" + IpamModeProperties.PROPERTY
					+ "), where nodes get no cluster-pool pod CIDR; their addresses come from pool blocks (AllocatePoolBlock)")
				.asRuntimeException();
		}
		return this.clusterPool;
	}

	private NodeCidrs nodeCidrs(String node, List<String> podCidrs) {
		NodeCidrs.Builder cidrs = NodeCidrs.newBuilder().setNode(node).addAllPodCidrs(podCidrs);
		for (NodeBlock block : this.multiPool.blocksOf(node)) {
			cidrs.addPoolBlocks(
					PoolBlock.newBuilder().setPool(block.pool()).setNode(block.node()).setCidr(block.cidr()).build());
		}
		return cidrs.build();
	}

	private static io.jcilium.api.ipam.v1.Pool pool(PoolUsage usage, boolean configured) {
		return io.jcilium.api.ipam.v1.Pool.newBuilder()
			.setName(usage.name())
			.addAllCidrs(usage.cidrs())
			.setIpv4MaskSize(usage.ipv4MaskSize())
			.setIpv6MaskSize(usage.ipv6MaskSize())
			.setBlocksInUse(usage.blocksInUse())
			.setBlocksTotal(usage.blocksTotal())
			.setConfigured(configured)
			.build();
	}

}
