package io.jcilium.operator.multipool;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.jcilium.api.caller.Caller;
import io.jcilium.api.caller.CallerHeader;
import io.jcilium.api.ipam.v1.AllocatePoolBlockRequest;
import io.jcilium.api.ipam.v1.DeletePoolRequest;
import io.jcilium.api.ipam.v1.GetNodeCidrsRequest;
import io.jcilium.api.ipam.v1.IpamServiceGrpc.IpamServiceBlockingStub;
import io.jcilium.api.ipam.v1.ListPoolsRequest;
import io.jcilium.api.ipam.v1.PoolBlock;
import io.jcilium.api.ipam.v1.ReleasePoolBlockRequest;
import io.jcilium.api.ipam.v1.UpsertPoolRequest;

/**
 * {@link PoolIpam} over ipam-service's gRPC API ({@code ipam.v1.IpamService}).
 */
final class GrpcPoolIpam implements PoolIpam {

	/** The codes that carry a verdict on the request rather than an outage. */
	private static final Set<Status.Code> REJECTIONS = Set.of(Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND,
			Status.Code.RESOURCE_EXHAUSTED, Status.Code.FAILED_PRECONDITION);

	private final IpamServiceBlockingStub stub;

	private final long deadlineMillis;

	GrpcPoolIpam(IpamServiceBlockingStub stub, long deadlineMillis) {
		// identity-service and ipam-service accept administration and calls for other
		// nodes only from the operator.
		this.stub = stub.withInterceptors(CallerHeader.declaring(Caller.operator()));
		this.deadlineMillis = deadlineMillis;
	}

	@Override
	public List<IpamPool> pools() {
		return call(() -> stub().listPools(ListPoolsRequest.getDefaultInstance()).getPoolsList()).stream()
			.map((pool) -> new IpamPool(pool.getName(), pool.getConfigured(), pool.getIpv4MaskSize(),
					pool.getIpv6MaskSize()))
			.toList();
	}

	@Override
	public void upsert(PoolDefinition pool) {
		call(() -> stub().upsertPool(UpsertPoolRequest.newBuilder()
			.setName(pool.name())
			.addAllIpv4Cidrs(pool.ipv4Cidrs())
			.setIpv4MaskSize(pool.ipv4MaskSize())
			.addAllIpv6Cidrs(pool.ipv6Cidrs())
			.setIpv6MaskSize(pool.ipv6MaskSize())
			.build()));
	}

	@Override
	public boolean delete(String name) {
		return call(() -> stub().deletePool(DeletePoolRequest.newBuilder().setName(name).build()).getDeleted());
	}

	@Override
	public void ensureBlocks(String pool, String node, String family, int count) {
		call(() -> stub().allocatePoolBlock(AllocatePoolBlockRequest.newBuilder()
			.setPool(pool)
			.setNode(node)
			.setFamily(family)
			.setBlockCount(count)
			.build()));
	}

	@Override
	public Map<String, List<String>> blocksOf(String node) {
		Map<String, List<String>> blocks = new LinkedHashMap<>();
		for (PoolBlock block : call(() -> stub().getNodeCidrs(GetNodeCidrsRequest.newBuilder().setNode(node).build())
			.getPoolBlocksList())) {
			blocks.computeIfAbsent(block.getPool(), (pool) -> new ArrayList<>()).add(block.getCidr());
		}
		return blocks;
	}

	@Override
	public void release(String pool, String node, String cidr) {
		call(() -> stub()
			.releasePoolBlock(ReleasePoolBlockRequest.newBuilder().setPool(pool).setNode(node).setCidr(cidr).build()));
	}

	private IpamServiceBlockingStub stub() {
		return this.stub.withDeadlineAfter(this.deadlineMillis, TimeUnit.MILLISECONDS);
	}

	private static <T> T call(Supplier<T> call) {
		try {
			return call.get();
		}
		catch (StatusRuntimeException ex) {
			if (REJECTIONS.contains(ex.getStatus().getCode())) {
				throw new PoolRejectedException(ex.getStatus().getDescription(), ex);
			}
			throw ex;
		}
	}

}
