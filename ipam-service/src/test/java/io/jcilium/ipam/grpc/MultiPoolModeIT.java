package io.jcilium.ipam.grpc;

import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.jcilium.api.caller.Caller;
import io.jcilium.api.caller.CallerHeader;
import io.jcilium.api.ipam.v1.AllocateNodeCidrsRequest;
import io.jcilium.api.ipam.v1.AllocatePoolBlockRequest;
import io.jcilium.api.ipam.v1.ClaimNodeCidrsRequest;
import io.jcilium.api.ipam.v1.GetNodeCidrsRequest;
import io.jcilium.api.ipam.v1.IpamServiceGrpc;
import io.jcilium.api.ipam.v1.IpamServiceGrpc.IpamServiceBlockingStub;
import io.jcilium.api.ipam.v1.ListAllocatedNodesRequest;
import io.jcilium.api.ipam.v1.ListPoolsRequest;
import io.jcilium.api.ipam.v1.NodeCidrs;
import io.jcilium.api.ipam.v1.Pool;
import io.jcilium.api.ipam.v1.ReleaseNodeCidrsRequest;
import io.jcilium.api.ipam.v1.UpsertPoolRequest;
import io.jcilium.testsupport.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcPort;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The whole service in multi-pool mode, as upstream's: no cluster pool. Nodes get no pod
 * CIDR (AllocateNodeCidrs and ClaimNodeCidrs are refused with the reason), the
 * cluster-pool settings reserve no space (a pool inside them is accepted), and a node's
 * pool blocks are all it holds.
 */
@SpringBootTest(properties = { "spring.grpc.server.port=0", "server.port=0", "spring.data.redis.host=127.0.0.1",
		"jcilium.ipam.mode=multi-pool", "jcilium.ipam.cluster-pool.ipv4-cidrs=10.0.0.0/16" })
class MultiPoolModeIT {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	@LocalGrpcPort
	int port;

	private ManagedChannel channel;

	private IpamServiceBlockingStub operator;

	@DynamicPropertySource
	static void redisPort(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.port", redis::port);
	}

	@BeforeEach
	void connect() {
		this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", this.port).usePlaintext().build();
		this.operator = IpamServiceGrpc.newBlockingStub(this.channel)
			.withInterceptors(CallerHeader.declaring(Caller.operator()))
			.withDeadlineAfter(30, TimeUnit.SECONDS);
	}

	@AfterEach
	void close() throws InterruptedException {
		this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
	}

	@Test
	void nodesGetNoClusterPoolCidr() {
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(
					() -> this.operator.allocateNodeCidrs(AllocateNodeCidrsRequest.newBuilder().setNode("n1").build()))
			.satisfies((ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
				assertThat(ex.getStatus().getDescription()).contains("multi-pool mode", "jcilium.ipam.mode",
						"AllocatePoolBlock");
			});
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> this.operator
				.claimNodeCidrs(ClaimNodeCidrsRequest.newBuilder().setNode("n1").addPodCidrs("10.0.1.0/24").build()))
			.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
		assertThat(this.operator.listPools(ListPoolsRequest.getDefaultInstance()).getPoolsList())
			.extracting(Pool::getName)
			.doesNotContain("cluster-pool");
		assertThat(this.operator.listAllocatedNodes(ListAllocatedNodesRequest.getDefaultInstance()).getNodesList())
			.doesNotContain("n1");
	}

	@Test
	void poolBlocksAreAllANodeHoldsAndThePoolMayUseTheClusterPoolSpace() {
		// In cluster-pool mode this pool would be refused: it overlaps the cluster pool.
		this.operator.upsertPool(
				UpsertPoolRequest.newBuilder().setName("blue").addIpv4Cidrs("10.0.0.0/24").setIpv4MaskSize(28).build());
		String block = this.operator
			.allocatePoolBlock(
					AllocatePoolBlockRequest.newBuilder().setPool("blue").setNode("n2").setFamily("ipv4").build())
			.getCidr();
		assertThat(block).startsWith("10.0.0.").endsWith("/28");
		NodeCidrs held = this.operator.getNodeCidrs(GetNodeCidrsRequest.newBuilder().setNode("n2").build());
		assertThat(held.getPodCidrsList()).isEmpty();
		assertThat(held.getPoolBlocksList()).extracting((b) -> b.getCidr()).containsExactly(block);
		assertThat(this.operator.listAllocatedNodes(ListAllocatedNodesRequest.getDefaultInstance()).getNodesList())
			.contains("n2");
		assertThat(this.operator.releaseNodeCidrs(ReleaseNodeCidrsRequest.newBuilder().setNode("n2").build())
			.getReleasedCidrsList()).containsExactly(block);
		assertThat(
				this.operator.getNodeCidrs(GetNodeCidrsRequest.newBuilder().setNode("n2").build()).getPoolBlocksList())
			.isEmpty();
	}

}
