package io.jcilium.cli.ipam;

import java.io.IOException;
import java.util.List;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.jcilium.api.ipam.v1.GetNodeCidrsRequest;
import io.jcilium.api.ipam.v1.IpamServiceGrpc;
import io.jcilium.api.ipam.v1.ListAllocatedNodesRequest;
import io.jcilium.api.ipam.v1.ListAllocatedNodesResponse;
import io.jcilium.api.ipam.v1.ListPoolsRequest;
import io.jcilium.api.ipam.v1.ListPoolsResponse;
import io.jcilium.api.ipam.v1.NodeCidrs;
import io.jcilium.api.ipam.v1.Pool;
import io.jcilium.api.ipam.v1.PoolBlock;

/**
 * A real gRPC server on a random loopback port serving ipam.v1's read calls from a fixed
 * state: the cluster pool, a dual-stack pool from the API and an empty one; two nodes,
 * one with pool blocks. Answers an unknown node with no CIDRs, as ipam-service does.
 */
final class TestIpamService implements AutoCloseable {

	private static final List<Pool> POOLS = List.of(
			Pool.newBuilder()
				.setName("cluster")
				.addCidrs("10.0.0.0/16")
				.setIpv4MaskSize(24)
				.setBlocksInUse(2)
				.setBlocksTotal(256)
				.setConfigured(true)
				.build(),
			Pool.newBuilder()
				.setName("blue")
				.addCidrs("10.20.0.0/16")
				.addCidrs("fd00:20::/48")
				.setIpv4MaskSize(26)
				.setIpv6MaskSize(64)
				.setBlocksInUse(3)
				.setBlocksTotal(66560)
				.build(),
			Pool.newBuilder().setName("empty").build());

	private static final List<NodeCidrs> NODES = List.of(
			NodeCidrs.newBuilder().setNode("node-a").addPodCidrs("10.0.1.0/24").build(),
			NodeCidrs.newBuilder()
				.setNode("node-b")
				.addPodCidrs("10.0.2.0/24")
				.addPoolBlocks(block("blue", "node-b", "10.20.0.0/26"))
				.addPoolBlocks(block("blue", "node-b", "10.20.0.64/26"))
				.addPoolBlocks(block("blue", "node-b", "fd00:20::/64"))
				.build());

	private final Server server;

	// Kept: a terminated server no longer tells its port, and tests ask after closing it.
	private final int port;

	TestIpamService() throws IOException {
		this.server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
			.addService(new Service())
			.build()
			.start();
		this.port = this.server.getPort();
	}

	/** The console property pointing at this server. */
	String property() {
		return "--jcilium.services.ipam.grpc=127.0.0.1:" + this.port;
	}

	@Override
	public void close() {
		this.server.shutdownNow();
	}

	private static PoolBlock block(String pool, String node, String cidr) {
		return PoolBlock.newBuilder().setPool(pool).setNode(node).setCidr(cidr).build();
	}

	private static final class Service extends IpamServiceGrpc.IpamServiceImplBase {

		@Override
		public void listPools(ListPoolsRequest request, StreamObserver<ListPoolsResponse> responses) {
			responses.onNext(ListPoolsResponse.newBuilder().addAllPools(POOLS).build());
			responses.onCompleted();
		}

		@Override
		public void listAllocatedNodes(ListAllocatedNodesRequest request,
				StreamObserver<ListAllocatedNodesResponse> responses) {
			ListAllocatedNodesResponse.Builder response = ListAllocatedNodesResponse.newBuilder();
			NODES.forEach((node) -> response.addNodes(node.getNode()));
			responses.onNext(response.build());
			responses.onCompleted();
		}

		@Override
		public void getNodeCidrs(GetNodeCidrsRequest request, StreamObserver<NodeCidrs> responses) {
			if (request.getNode().isEmpty()) {
				responses.onError(Status.INVALID_ARGUMENT.withDescription("node is empty").asRuntimeException());
				return;
			}
			responses.onNext(NODES.stream()
				.filter((node) -> node.getNode().equals(request.getNode()))
				.findFirst()
				.orElse(NodeCidrs.newBuilder().setNode(request.getNode()).build()));
			responses.onCompleted();
		}

	}

}
