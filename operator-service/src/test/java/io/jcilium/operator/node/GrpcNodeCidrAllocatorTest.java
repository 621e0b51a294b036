package io.jcilium.operator.node;

import java.util.ArrayList;
import java.util.List;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.jcilium.api.ipam.v1.AllocateNodeCidrsRequest;
import io.jcilium.api.ipam.v1.IpamServiceGrpc;
import io.jcilium.api.ipam.v1.NodeCidrs;
import io.jcilium.api.ipam.v1.ReleaseNodeCidrsRequest;
import io.jcilium.api.ipam.v1.ReleaseNodeCidrsResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The gRPC client of ipam-service, through real gRPC (in-process transport) to a stand-in
 * service.
 */
class GrpcNodeCidrAllocatorTest {

	private final List<String> calls = new ArrayList<>();

	private Server server;

	private ManagedChannel channel;

	@BeforeEach
	void start() throws Exception {
		String name = "ipam-" + System.nanoTime();
		this.server = InProcessServerBuilder.forName(name).directExecutor().addService(new StandIn()).build().start();
		this.channel = InProcessChannelBuilder.forName(name).directExecutor().build();
	}

	@AfterEach
	void stop() {
		this.channel.shutdownNow();
		this.server.shutdownNow();
	}

	@Test
	void allocateReturnsThePodCidrsAndReleaseNamesTheNode() {
		GrpcNodeCidrAllocator allocator = new GrpcNodeCidrAllocator(IpamServiceGrpc.newBlockingStub(this.channel),
				5000);
		assertThat(allocator.allocate("node-a")).containsExactly("10.0.1.0/24", "fd00:0:0:1::/64");
		allocator.release("node-a");
		assertThat(this.calls).containsExactly("allocate node-a", "release node-a");
	}

	@Test
	void exhaustionSurfacesAsTheServiceStatus() {
		GrpcNodeCidrAllocator allocator = new GrpcNodeCidrAllocator(IpamServiceGrpc.newBlockingStub(this.channel),
				5000);
		assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(() -> allocator.allocate("full"))
			.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
	}

	private final class StandIn extends IpamServiceGrpc.IpamServiceImplBase {

		@Override
		public void allocateNodeCidrs(AllocateNodeCidrsRequest request, StreamObserver<NodeCidrs> response) {
			if ("full".equals(request.getNode())) {
				response.onError(Status.RESOURCE_EXHAUSTED.withDescription("pool default is exhausted").asException());
				return;
			}
			GrpcNodeCidrAllocatorTest.this.calls.add("allocate " + request.getNode());
			response.onNext(NodeCidrs.newBuilder()
				.setNode(request.getNode())
				.addPodCidrs("10.0.1.0/24")
				.addPodCidrs("fd00:0:0:1::/64")
				.build());
			response.onCompleted();
		}

		@Override
		public void releaseNodeCidrs(ReleaseNodeCidrsRequest request,
				StreamObserver<ReleaseNodeCidrsResponse> response) {
			GrpcNodeCidrAllocatorTest.this.calls.add("release " + request.getNode());
			response.onNext(ReleaseNodeCidrsResponse.newBuilder().addReleasedCidrs("10.0.1.0/24").build());
			response.onCompleted();
		}

	}

}
