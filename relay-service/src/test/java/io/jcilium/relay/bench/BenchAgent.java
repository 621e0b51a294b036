package io.jcilium.relay.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.jcilium.api.hubble.observer.GetFlowsRequest;
import io.jcilium.api.hubble.observer.ObserverGrpc;
import io.jcilium.api.hubble.observer.ServerStatusRequest;
import io.jcilium.api.hubble.observer.ServerStatusResponse;

/**
 * One simulated node for the relay benchmark: a gRPC server on 127.0.0.1 answering every
 * {@code GetFlows} with the same responses, serialized in advance and sent under flow
 * control as fast as the relay reads them (an agent's ring read costs next to nothing
 * beside its gRPC stream, see {@code docs/benchmarks.md}), and {@code ServerStatus} so
 * the relay's pool sees it up.
 */
final class BenchAgent implements AutoCloseable {

	private static final MethodDescriptor<GetFlowsRequest, byte[]> GET_FLOWS = ObserverGrpc.getGetFlowsMethod()
		.toBuilder(ProtoUtils.marshaller(GetFlowsRequest.getDefaultInstance()), RawBytes.INSTANCE)
		.build();

	private final String name;

	private final List<byte[]> responses;

	private final Server server;

	BenchAgent(String name, List<byte[]> responses, BindableService... extra) throws IOException {
		this.name = name;
		this.responses = responses;
		NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
			.addService(ServerServiceDefinition.builder(ObserverGrpc.SERVICE_NAME)
				.addMethod(GET_FLOWS, ServerCalls.asyncServerStreamingCall(this::getFlows))
				.addMethod(ObserverGrpc.getServerStatusMethod(), ServerCalls.asyncUnaryCall(this::serverStatus))
				.build());
		for (BindableService service : extra) {
			builder.addService(service);
		}
		this.server = builder.build().start();
	}

	String name() {
		return this.name;
	}

	byte[] response(int index) {
		return this.responses.get(index);
	}

	String address() {
		return "127.0.0.1:" + this.server.getPort();
	}

	private void getFlows(GetFlowsRequest request, StreamObserver<byte[]> observer) {
		ServerCallStreamObserver<byte[]> call = (ServerCallStreamObserver<byte[]>) observer;
		// Sent from the transport's onReady callbacks: no thread of its own, no blocking.
		int[] next = { 0 };
		call.setOnReadyHandler(() -> {
			while (call.isReady() && next[0] < this.responses.size() && !call.isCancelled()) {
				call.onNext(this.responses.get(next[0]++));
			}
			if (next[0] == this.responses.size()) {
				next[0]++;
				call.onCompleted();
			}
		});
	}

	private void serverStatus(ServerStatusRequest request, StreamObserver<ServerStatusResponse> observer) {
		observer.onNext(ServerStatusResponse.newBuilder()
			.setNumFlows(this.responses.size())
			.setMaxFlows(this.responses.size())
			.setSeenFlows(this.responses.size())
			.setVersion("bench")
			.build());
		observer.onCompleted();
	}

	@Override
	public void close() throws InterruptedException {
		this.server.shutdownNow();
		this.server.awaitTermination(10, TimeUnit.SECONDS);
	}

}
