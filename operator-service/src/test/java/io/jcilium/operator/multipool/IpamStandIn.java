package io.jcilium.operator.multipool;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.jcilium.api.ipam.v1.AllocatePoolBlockRequest;
import io.jcilium.api.ipam.v1.DeletePoolRequest;
import io.jcilium.api.ipam.v1.DeletePoolResponse;
import io.jcilium.api.ipam.v1.GetNodeCidrsRequest;
import io.jcilium.api.ipam.v1.IpamServiceGrpc;
import io.jcilium.api.ipam.v1.ListPoolsRequest;
import io.jcilium.api.ipam.v1.ListPoolsResponse;
import io.jcilium.api.ipam.v1.NodeCidrs;
import io.jcilium.api.ipam.v1.Pool;
import io.jcilium.api.ipam.v1.PoolBlock;
import io.jcilium.api.ipam.v1.ReleasePoolBlockRequest;
import io.jcilium.api.ipam.v1.ReleasePoolBlockResponse;
import io.jcilium.api.ipam.v1.UpsertPoolRequest;
import io.jcilium.common.net.Cidr;

/**
 * ipam-service's pool API in memory (IPv4 only), served over in-process gRPC: the same
 * status codes for the same refusals, simplified rules. ipam-service's own tests check
 * the real rules against Redis; this stand-in lets the operator's tests check what the
 * operator does with the answers. Service modules are Boot executable jars, which the
 * operator's tests cannot load, hence no real ipam-service here.
 */
final class IpamStandIn extends IpamServiceGrpc.IpamServiceImplBase {

	private final Map<String, Pool> pools = new TreeMap<>();

	private final Set<String> configured;

	/** Block to node, per pool. */
	private final Map<String, Map<String, String>> owners = new TreeMap<>();

	IpamStandIn(Pool... configuredPools) {
		for (Pool pool : configuredPools) {
			this.pools.put(pool.getName(), pool.toBuilder().setConfigured(true).build());
		}
		this.configured = Set.copyOf(this.pools.keySet());
	}

	synchronized Pool pool(String name) {
		return this.pools.get(name);
	}

	@Override
	public synchronized void upsertPool(UpsertPoolRequest request, StreamObserver<Pool> observer) {
		respond(observer, () -> {
			if (this.configured.contains(request.getName())) {
				throw invalid("pool '" + request.getName() + "' is defined in ipam-service's configuration");
			}
			for (String text : request.getIpv4CidrsList()) {
				Cidr cidr = parse(text);
				if (request.getIpv4MaskSize() < cidr.prefixLength() || request.getIpv4MaskSize() > 32) {
					throw invalid("pool '" + request.getName() + "': CIDR " + cidr + " cannot be carved into /"
							+ request.getIpv4MaskSize() + " blocks: the mask size must be between "
							+ cidr.prefixLength() + " and 32");
				}
				for (Pool other : this.pools.values()) {
					for (String otherText : other.getCidrsList()) {
						Cidr theirs = Cidr.parse(otherText);
						if (!other.getName().equals(request.getName())
								&& (theirs.contains(cidr) || cidr.contains(theirs))) {
							throw invalid("IP pools overlap: pool '" + request.getName() + "' (" + cidr + ") and pool '"
									+ other.getName() + "' (" + theirs + ") share addresses");
						}
					}
				}
			}
			Pool pool = Pool.newBuilder()
				.setName(request.getName())
				.addAllCidrs(request.getIpv4CidrsList())
				.setIpv4MaskSize(request.getIpv4MaskSize())
				.build();
			this.pools.put(pool.getName(), pool);
			return pool;
		});
	}

	@Override
	public synchronized void deletePool(DeletePoolRequest request, StreamObserver<DeletePoolResponse> observer) {
		respond(observer, () -> {
			int inUse = this.owners.getOrDefault(request.getName(), Map.of()).size();
			if (inUse > 0) {
				throw Status.FAILED_PRECONDITION
					.withDescription("IP pool '" + request.getName() + "' still has " + inUse + " blocks allocated")
					.asRuntimeException();
			}
			return DeletePoolResponse.newBuilder().setDeleted(this.pools.remove(request.getName()) != null).build();
		});
	}

	@Override
	public synchronized void listPools(ListPoolsRequest request, StreamObserver<ListPoolsResponse> observer) {
		respond(observer, () -> ListPoolsResponse.newBuilder().addAllPools(this.pools.values()).build());
	}

	@Override
	public synchronized void allocatePoolBlock(AllocatePoolBlockRequest request, StreamObserver<PoolBlock> observer) {
		respond(observer, () -> {
			Pool pool = this.pools.get(request.getPool());
			if (pool == null) {
				throw Status.NOT_FOUND.withDescription("IP pool '" + request.getPool() + "' does not exist")
					.asRuntimeException();
			}
			Map<String, String> owned = this.owners.computeIfAbsent(pool.getName(), (name) -> new LinkedHashMap<>());
			List<String> candidates = new ArrayList<>();
			pool.getCidrsList()
				.forEach((cidr) -> Cidr.parse(cidr)
					.subnets(pool.getIpv4MaskSize())
					.forEach((block) -> candidates.add(block.toString())));
			for (String block : candidates) {
				if (held(owned, request.getNode()) >= Math.max(1, request.getBlockCount())) {
					break;
				}
				owned.putIfAbsent(block, request.getNode());
			}
			if (held(owned, request.getNode()) < Math.max(1, request.getBlockCount())) {
				throw Status.RESOURCE_EXHAUSTED.withDescription("IP pool '" + pool.getName() + "' is exhausted")
					.asRuntimeException();
			}
			return PoolBlock.newBuilder().setPool(pool.getName()).setNode(request.getNode()).build();
		});
	}

	@Override
	public synchronized void getNodeCidrs(GetNodeCidrsRequest request, StreamObserver<NodeCidrs> observer) {
		respond(observer, () -> {
			NodeCidrs.Builder cidrs = NodeCidrs.newBuilder().setNode(request.getNode());
			this.owners.forEach((pool, owned) -> owned.forEach((block, node) -> {
				if (node.equals(request.getNode())) {
					cidrs.addPoolBlocks(PoolBlock.newBuilder().setPool(pool).setNode(node).setCidr(block));
				}
			}));
			return cidrs.build();
		});
	}

	@Override
	public synchronized void releasePoolBlock(ReleasePoolBlockRequest request,
			StreamObserver<ReleasePoolBlockResponse> observer) {
		respond(observer,
				() -> ReleasePoolBlockResponse.newBuilder()
					.setReleased(this.owners.getOrDefault(request.getPool(), new LinkedHashMap<>())
						.remove(request.getCidr(), request.getNode()))
					.build());
	}

	private static long held(Map<String, String> owned, String node) {
		return owned.values().stream().filter(node::equals).count();
	}

	private static Cidr parse(String text) {
		try {
			return Cidr.parseStrict(text);
		}
		catch (IllegalArgumentException ex) {
			throw invalid(ex.getMessage());
		}
	}

	private static StatusRuntimeException invalid(String message) {
		return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
	}

	private static <T> void respond(StreamObserver<T> observer, Supplier<T> call) {
		T response;
		try {
			response = call.get();
		}
		catch (StatusRuntimeException ex) {
			observer.onError(ex);
			return;
		}
		observer.onNext(response);
		observer.onCompleted();
	}

}
