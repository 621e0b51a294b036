package io.jcilium.relay.testagents;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.grpc.BindableService;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.observer.GetFlowsRequest;
import io.jcilium.api.hubble.observer.GetFlowsResponse;
import io.jcilium.api.hubble.observer.GetNamespacesRequest;
import io.jcilium.api.hubble.observer.GetNamespacesResponse;
import io.jcilium.api.hubble.observer.Namespace;
import io.jcilium.api.hubble.observer.ObserverGrpc;
import io.jcilium.api.hubble.observer.ServerStatusRequest;
import io.jcilium.api.hubble.observer.ServerStatusResponse;

/**
 * An agent's Hubble API as the relay sees it: a real gRPC server on 127.0.0.1 (or another
 * loopback address) serving {@code observer.Observer} over the flows a test gives it,
 * with {@code number}, {@code first}, {@code since}, {@code until}, {@code follow} and
 * the filters in {@link TestFilters}, and that the test can stop (calls in progress end
 * as a killed agent's would) and start again on the same port, empty as a restarted
 * agent's ring. It records the requests it received. The relay cannot tell it from an
 * agent: it only speaks the contract.
 */
public final class TestAgent implements AutoCloseable {

	public static final String VERSION = "test-agent-1.0";

	public static final int MAX_FLOWS = 4095;

	private final String name;

	private final List<Flow> flows = new ArrayList<>();

	private final List<GetFlowsRequest> requests = new CopyOnWriteArrayList<>();

	private final List<BindableService> extraServices = new ArrayList<>();

	private final long startedNanos = System.nanoTime();

	private String host = "127.0.0.1";

	private int port;

	private Server server;

	private ServerCredentials credentials = InsecureServerCredentials.create();

	public TestAgent(String name) {
		this.name = name;
	}

	/** Also serve this service (e.g. a {@link TestPeerService}) on the agent's port. */
	public TestAgent with(BindableService service) {
		this.extraServices.add(service);
		return this;
	}

	/** Serve with these credentials (e.g. mTLS) instead of plaintext. */
	public TestAgent withCredentials(ServerCredentials credentials) {
		this.credentials = credentials;
		return this;
	}

	/** Listen on this loopback address instead of 127.0.0.1 (before {@link #start()}). */
	public TestAgent on(String host) {
		this.host = host;
		return this;
	}

	public String name() {
		return this.name;
	}

	public synchronized TestAgent start() throws IOException {
		NettyServerBuilder builder = NettyServerBuilder
			.forAddress(new InetSocketAddress(this.host, this.port), this.credentials)
			.addService(new Observer());
		this.extraServices.forEach(builder::addService);
		this.server = builder.build().start();
		this.port = this.server.getPort();
		return this;
	}

	/** Kills the agent: calls in progress fail, the port closes, the flows are gone. */
	public synchronized void stop() throws InterruptedException {
		if (this.server != null) {
			this.server.shutdownNow();
			this.server.awaitTermination(10, TimeUnit.SECONDS);
			this.server = null;
		}
		this.flows.clear();
		notifyAll();
	}

	public int port() {
		return this.port;
	}

	public String address() {
		return this.host + ":" + this.port;
	}

	/** Adds flows, as the datapath would; {@code follow} calls get them. */
	public synchronized void add(List<Flow> added) {
		this.flows.addAll(added);
		notifyAll();
	}

	public synchronized void clear() {
		this.flows.clear();
		this.requests.clear();
	}

	public List<GetFlowsRequest> requests() {
		return List.copyOf(this.requests);
	}

	@Override
	public void close() throws InterruptedException {
		stop();
	}

	private synchronized List<Flow> from(int index) {
		return new ArrayList<>(this.flows.subList(Math.min(index, this.flows.size()), this.flows.size()));
	}

	private synchronized int waitBeyond(int index, ServerCallStreamObserver<?> call) throws InterruptedException {
		while (this.flows.size() <= index && !call.isCancelled() && this.server != null) {
			wait(100);
		}
		return this.flows.size();
	}

	private final class Observer extends ObserverGrpc.ObserverImplBase {

		@Override
		public void getFlows(GetFlowsRequest request, StreamObserver<GetFlowsResponse> responses) {
			TestAgent.this.requests.add(request);
			Status refusal = TestFilters.refusal(request);
			if (refusal != null) {
				responses.onError(refusal.asRuntimeException());
				return;
			}
			ServerCallStreamObserver<GetFlowsResponse> call = (ServerCallStreamObserver<GetFlowsResponse>) responses;
			// Off the transport's thread, as a real agent's streams are.
			Thread thread = new Thread(() -> stream(request, call), "test-agent-" + TestAgent.this.name);
			thread.setDaemon(true);
			thread.start();
		}

		private void stream(GetFlowsRequest request, ServerCallStreamObserver<GetFlowsResponse> call) {
			List<Flow> history = from(0);
			int seen = history.size();
			List<Flow> selected = new ArrayList<>(
					history.stream().filter((flow) -> TestFilters.selects(request, flow)).toList());
			if (request.getNumber() > 0 && selected.size() > request.getNumber()) {
				int number = (int) request.getNumber();
				selected = request.getFirst() ? selected.subList(0, number)
						: selected.subList(selected.size() - number, selected.size());
			}
			try {
				for (Flow flow : selected) {
					send(call, flow);
				}
				while (request.getFollow() && !call.isCancelled()) {
					int size = waitBeyond(seen, call);
					for (Flow flow : from(seen)) {
						if (TestFilters.selects(request, flow)) {
							send(call, flow);
						}
					}
					seen = size;
				}
				if (!call.isCancelled()) {
					call.onCompleted();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (RuntimeException ex) {
				// The call went away with the server: nothing to tell anyone.
			}
		}

		private void send(ServerCallStreamObserver<GetFlowsResponse> call, Flow flow) {
			if (!call.isCancelled()) {
				call.onNext(GetFlowsResponse.newBuilder()
					.setFlow(flow)
					.setNodeName(TestAgent.this.name)
					.setTime(flow.getTime())
					.build());
			}
		}

		// As the agent: the namespaces of its flows, either side, sorted, in cluster
		// "default".
		@Override
		public void getNamespaces(GetNamespacesRequest request, StreamObserver<GetNamespacesResponse> responses) {
			TreeSet<String> namespaces = new TreeSet<>();
			for (Flow flow : from(0)) {
				namespaces.add(flow.getSource().getNamespace());
				namespaces.add(flow.getDestination().getNamespace());
			}
			namespaces.remove("");
			GetNamespacesResponse.Builder response = GetNamespacesResponse.newBuilder();
			namespaces.forEach((namespace) -> response
				.addNamespaces(Namespace.newBuilder().setCluster("default").setNamespace(namespace)));
			responses.onNext(response.build());
			responses.onCompleted();
		}

		@Override
		public void serverStatus(ServerStatusRequest request, StreamObserver<ServerStatusResponse> responses) {
			int size = from(0).size();
			responses.onNext(ServerStatusResponse.newBuilder()
				.setNumFlows(size)
				.setMaxFlows(MAX_FLOWS)
				.setSeenFlows(size)
				.setUptimeNs(System.nanoTime() - TestAgent.this.startedNanos)
				.setVersion(VERSION)
				.build());
			responses.onCompleted();
		}

	}

}
