package io.jcilium.relay.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.jcilium.api.hubble.flow.Endpoint;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.IP;
import io.jcilium.api.hubble.flow.IPVersion;
import io.jcilium.api.hubble.flow.Layer4;
import io.jcilium.api.hubble.flow.TCP;
import io.jcilium.api.hubble.flow.TCPFlags;
import io.jcilium.api.hubble.flow.TraceObservationPoint;
import io.jcilium.api.hubble.flow.TrafficDirection;
import io.jcilium.api.hubble.flow.Verdict;
import io.jcilium.api.hubble.observer.GetFlowsRequest;
import io.jcilium.api.hubble.observer.GetFlowsResponse;
import io.jcilium.api.hubble.observer.ObserverGrpc;
import io.jcilium.api.hubble.observer.ServerStatusRequest;
import io.jcilium.api.hubble.observer.ServerStatusResponse;
import io.jcilium.relay.RelayServiceApplication;
import io.jcilium.relay.testagents.TestPeerService;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Relay merged flows/s across simulated nodes (issue 14's benchmark): N agents (gRPC
 * servers in this JVM, each streaming the same number of flows serialized in advance, the
 * nodes' flows interleaved in time) behind the whole relay-service started as its jar
 * starts; a client reads a {@code GetFlows} of everything through the relay and counts
 * the flows. The baselines of the same run, read by the same client: the same flows
 * already merged, in one stream from one server (the most one call carries here), and the
 * N agents' streams read at once, unmerged. A last, untimed round parses every response
 * and checks the merged order and count. Arguments: flows per agent (default 50,000),
 * agents (4), rounds (3).
 */
public final class RelayBenchmark {

	private static final MethodDescriptor<GetFlowsRequest, byte[]> GET_FLOWS = ObserverGrpc.getGetFlowsMethod()
		.toBuilder(ProtoUtils.marshaller(GetFlowsRequest.getDefaultInstance()), RawBytes.INSTANCE)
		.build();

	private static final long BASE_SECONDS = 1_764_900_000L;

	private static final int CLIENT_WINDOW = 1024;

	private RelayBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int perAgent = (args.length > 0) ? Integer.parseInt(args[0]) : 50_000;
		int agentCount = (args.length > 1) ? Integer.parseInt(args[1]) : 4;
		int rounds = (args.length > 2) ? Integer.parseInt(args[2]) : 3;
		TestPeerService peers = new TestPeerService();
		List<BenchAgent> agents = new ArrayList<>();
		for (int i = 0; i < agentCount; i++) {
			agents.add((i == 0) ? new BenchAgent("node-" + i, responses(i, agentCount, perAgent), peers)
					: new BenchAgent("node-" + i, responses(i, agentCount, perAgent)));
		}
		// Not in the cluster: one server streaming the merged result, the ceiling of one
		// call.
		List<byte[]> merged = new ArrayList<>(perAgent * agentCount);
		for (int k = 0; k < perAgent; k++) {
			for (BenchAgent agent : agents) {
				merged.add(agent.response(k));
			}
		}
		BenchAgent single = new BenchAgent("single", merged);
		Map<String, String> addresses = new LinkedHashMap<>();
		agents.forEach((agent) -> addresses.put(agent.name(), agent.address()));
		peers.announce(addresses);
		try (ConfigurableApplicationContext relay = new SpringApplicationBuilder(RelayServiceApplication.class)
			// Arguments, not default properties: application.yaml would override those.
			.run("--spring.grpc.server.port=0", "--server.port=0", "--jcilium.relay.pool.check-interval=200ms",
					"--spring.grpc.client.channels.hubble-peer.address=static://" + agents.get(0).address(),
					"--logging.level.root=WARN", "--logging.level.io.jcilium=INFO")) {
			int port = relay.getEnvironment().getRequiredProperty("local.grpc.port", Integer.class);
			ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
			awaitConnected(channel, agentCount);
			long total = (long) perAgent * agentCount;
			System.out.printf("relay benchmark: %d agents x %,d flows = %,d per round, load %.2f%n", agentCount,
					perAgent, total, load());
			for (int round = 1; round <= rounds; round++) {
				double direct = direct(agents, total);
				double one = direct(List.of(single), total);
				double relayed = relayed(channel, total);
				System.out.printf(
						"round %d: relay merged %,.0f flows/s; same flows in one stream from one server %,.0f/s (%.2f);"
								+ " the %d streams read at once unmerged %,.0f/s (%.2f); load %.2f%n",
						round, relayed, one, relayed / one, agentCount, direct, relayed / direct, load());
			}
			verify(channel, total);
			channel.shutdownNow();
		}
		finally {
			for (BenchAgent agent : agents) {
				agent.close();
			}
			single.close();
		}
	}

	private static double relayed(ManagedChannel channel, long total) throws InterruptedException {
		long start = System.nanoTime();
		long flows = read(List.of(channel));
		double seconds = (System.nanoTime() - start) / 1e9;
		check(flows, total);
		return flows / seconds;
	}

	private static double direct(List<BenchAgent> agents, long total) throws InterruptedException {
		List<ManagedChannel> channels = agents.stream()
			.map((agent) -> (ManagedChannel) ManagedChannelBuilder.forTarget(agent.address()).usePlaintext().build())
			.toList();
		try {
			long start = System.nanoTime();
			long flows = read(channels);
			double seconds = (System.nanoTime() - start) / 1e9;
			check(flows, total);
			return flows / seconds;
		}
		finally {
			channels.forEach(ManagedChannel::shutdownNow);
		}
	}

	/** Reads one GetFlows of everything on each channel at once; counts the flows. */
	private static long read(List<ManagedChannel> channels) throws InterruptedException {
		CountDownLatch done = new CountDownLatch(channels.size());
		AtomicLong flows = new AtomicLong();
		AtomicReference<Throwable> failure = new AtomicReference<>();
		for (ManagedChannel channel : channels) {
			ClientCalls.asyncServerStreamingCall(channel.newCall(GET_FLOWS, CallOptions.DEFAULT),
					GetFlowsRequest.getDefaultInstance(), new ClientResponseObserver<GetFlowsRequest, byte[]>() {

						private long count;

						private int received;

						private ClientCallStreamObserver<GetFlowsRequest> call;

						@Override
						public void beforeStart(ClientCallStreamObserver<GetFlowsRequest> requestStream) {
							// In batches, as a client that keeps up asks (the default:
							// one by one).
							this.call = requestStream;
							requestStream.disableAutoRequestWithInitial(CLIENT_WINDOW);
						}

						@Override
						public void onNext(byte[] response) {
							// A flow is field 1: its tag byte 0x0A comes first.
							if (response.length > 0 && response[0] == 0x0A) {
								this.count++;
							}
							if (++this.received == CLIENT_WINDOW / 2) {
								this.call.request(this.received);
								this.received = 0;
							}
						}

						@Override
						public void onError(Throwable error) {
							failure.set(error);
							done.countDown();
						}

						@Override
						public void onCompleted() {
							flows.addAndGet(this.count);
							done.countDown();
						}

					});
		}
		if (!done.await(10, TimeUnit.MINUTES)) {
			throw new IllegalStateException("GetFlows did not end within 10 minutes");
		}
		if (failure.get() != null) {
			throw new IllegalStateException("GetFlows failed", failure.get());
		}
		return flows.get();
	}

	private static void verify(ManagedChannel channel, long total) throws InterruptedException {
		List<byte[]> received = new ArrayList<>();
		CountDownLatch done = new CountDownLatch(1);
		ClientCalls.asyncServerStreamingCall(channel.newCall(GET_FLOWS, CallOptions.DEFAULT),
				GetFlowsRequest.getDefaultInstance(), new StreamObserver<>() {

					@Override
					public void onNext(byte[] response) {
						received.add(response);
					}

					@Override
					public void onError(Throwable error) {
						done.countDown();
					}

					@Override
					public void onCompleted() {
						done.countDown();
					}

				});
		done.await(10, TimeUnit.MINUTES);
		long flows = 0;
		long last = Long.MIN_VALUE;
		long outOfOrder = 0;
		for (byte[] bytes : received) {
			GetFlowsResponse response;
			try {
				response = GetFlowsResponse.parseFrom(bytes);
			}
			catch (InvalidProtocolBufferException ex) {
				throw new IllegalStateException(ex);
			}
			if (!response.hasFlow()) {
				continue;
			}
			flows++;
			long nanos = response.getTime().getSeconds() * 1_000_000_000L + response.getTime().getNanos();
			if (nanos < last) {
				outOfOrder++;
			}
			last = Math.max(last, nanos);
		}
		System.out.printf("verify: %,d flows of %,d merged, %,d out of time order%n", flows, total, outOfOrder);
		check(flows, total);
		if (outOfOrder > 0) {
			throw new IllegalStateException(outOfOrder + " flows out of time order");
		}
	}

	private static void check(long flows, long total) {
		if (flows != total) {
			throw new IllegalStateException("read " + flows + " flows, expected " + total);
		}
	}

	private static void awaitConnected(ManagedChannel channel, int agents) throws InterruptedException {
		ObserverGrpc.ObserverBlockingStub relay = ObserverGrpc.newBlockingStub(channel);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		ServerStatusResponse status = relay.serverStatus(ServerStatusRequest.getDefaultInstance());
		while (status.getNumConnectedNodes().getValue() < agents) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("the relay did not reach " + agents + " agents within 60 s: " + status);
			}
			Thread.sleep(100);
			status = relay.serverStatus(ServerStatusRequest.getDefaultInstance());
		}
	}

	/**
	 * One node's flows: node i of n holds flows i, i+n, i+2n... of the cluster's time
	 * line.
	 */
	private static List<byte[]> responses(int node, int nodes, int count) {
		List<byte[]> responses = new ArrayList<>(count);
		for (int k = 0; k < count; k++) {
			long micros = (long) k * nodes + node;
			Timestamp time = Timestamp.newBuilder()
				.setSeconds(BASE_SECONDS + micros / 1_000_000)
				.setNanos((int) (micros % 1_000_000) * 1000)
				.build();
			Flow flow = Flow.newBuilder()
				.setTime(time)
				.setNodeName("node-" + node)
				.setVerdict(Verdict.FORWARDED)
				.setTraceObservationPoint(TraceObservationPoint.TO_ENDPOINT)
				.setTrafficDirection(TrafficDirection.INGRESS)
				.setIP(IP.newBuilder().setSource("10.9.0.2").setDestination("10.9.0.1").setIpVersion(IPVersion.IPv4))
				.setL4(Layer4.newBuilder()
					.setTCP(TCP.newBuilder()
						.setSourcePort(40000 + k % 20000)
						.setDestinationPort(8080)
						.setFlags(TCPFlags.newBuilder().setSYN(true))))
				.setSource(Endpoint.newBuilder()
					.setID(2)
					.setIdentity(4102)
					.setNamespace("shop")
					.setPodName("frontend-7d9f8-abcde")
					.addLabels("k8s:app=frontend")
					.addLabels("k8s:io.kubernetes.pod.namespace=shop"))
				.setDestination(Endpoint.newBuilder()
					.setID(1)
					.setIdentity(4101)
					.setNamespace("shop")
					.setPodName("backend-5f9c7-x2x9q")
					.addLabels("k8s:app=backend")
					.addLabels("k8s:io.kubernetes.pod.namespace=shop"))
				.build();
			responses.add(GetFlowsResponse.newBuilder()
				.setFlow(flow)
				.setNodeName("node-" + node)
				.setTime(time)
				.build()
				.toByteArray());
		}
		return responses;
	}

	private static double load() {
		return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
	}

}
