package io.jcilium.agent.hubble;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.FieldMask;
import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.jcilium.agent.hubble.enrich.FlowEnricher;
import io.jcilium.agent.hubble.enrich.LocalEndpoints;
import io.jcilium.agent.hubble.ring.FlowRing;
import io.jcilium.api.hubble.flow.Endpoint;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.FlowFilter;
import io.jcilium.api.hubble.flow.Layer4;
import io.jcilium.api.hubble.flow.LostEventSource;
import io.jcilium.api.hubble.flow.TCP;
import io.jcilium.api.hubble.observer.GetFlowsRequest;
import io.jcilium.api.hubble.observer.GetFlowsResponse;
import io.jcilium.api.hubble.observer.GetNamespacesRequest;
import io.jcilium.api.hubble.observer.Namespace;
import io.jcilium.api.hubble.observer.ObserverGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * GetFlows' request semantics against a real observer and ring, over gRPC's in-process
 * transport (flow control included): which flows number, first, since and until select,
 * following, and a stalled follower that loses flows without ever holding up the writer.
 */
class ObserverServiceTest {

	private final List<AutoCloseable> closing = new ArrayList<>();

	private LocalObserver observer;

	private ObserverGrpc.ObserverBlockingStub blocking;

	private ObserverGrpc.ObserverStub async;

	@AfterEach
	void tearDown() throws Exception {
		for (AutoCloseable closeable : this.closing) {
			closeable.close();
		}
	}

	@Test
	void numberSelectsTheNewestMatchingFlowsAndFirstTheOldest() throws Exception {
		start(4095);
		write(1, 10);
		GetFlowsRequest.Builder even = GetFlowsRequest.newBuilder()
			.addBlacklist(FlowFilter.newBuilder()
				.addDestinationPort("1")
				.addDestinationPort("3")
				.addDestinationPort("5")
				.addDestinationPort("7")
				.addDestinationPort("9"));
		assertThat(ports(even.setNumber(3).build())).containsExactly(6, 8, 10);
		assertThat(ports(even.setNumber(3).setFirst(true).build())).containsExactly(2, 4, 6);
		assertThat(ports(GetFlowsRequest.newBuilder().setNumber(1000).build())).hasSize(10);
		assertThat(ports(GetFlowsRequest.getDefaultInstance())).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
	}

	@Test
	void sinceAndUntilBoundTheFlowsByTime() throws Exception {
		start(4095);
		write(1, 10);
		assertThat(ports(GetFlowsRequest.newBuilder().setSince(seconds(4)).setUntil(seconds(6)).build()))
			.containsExactly(4, 5, 6);
		assertThat(ports(GetFlowsRequest.newBuilder().setSince(seconds(8)).build())).containsExactly(8, 9, 10);
		assertThatThrownBy(() -> ports(GetFlowsRequest.newBuilder().setSince(seconds(8)).setUntil(seconds(2)).build()))
			.isInstanceOfSatisfying(StatusRuntimeException.class,
					(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
		assertThatThrownBy(() -> ports(GetFlowsRequest.newBuilder().setFirst(true).setFollow(true).build()))
			.isInstanceOfSatisfying(StatusRuntimeException.class,
					(ex) -> assertThat(ex.getStatus().getDescription()).startsWith("first: "));
	}

	@Test
	void aFieldMaskLimitsTheFieldsSent() throws Exception {
		start(4095);
		write(1, 1);
		GetFlowsResponse response = this.blocking
			.getFlows(GetFlowsRequest.newBuilder()
				.setFieldMask(FieldMask.newBuilder().addPaths("l4.TCP.destination_port"))
				.build())
			.next();
		assertThat(response.getFlow()).isEqualTo(
				Flow.newBuilder().setL4(Layer4.newBuilder().setTCP(TCP.newBuilder().setDestinationPort(1))).build());
		assertThatThrownBy(() -> ports(GetFlowsRequest.newBuilder()
			.setFieldMask(FieldMask.newBuilder().addPaths("source.no_such_field"))
			.build())).isInstanceOfSatisfying(StatusRuntimeException.class,
					(ex) -> assertThat(ex.getStatus().getDescription()).startsWith("field_mask: "));
	}

	@Test
	void followSendsTheLastFlowsThenNewOnes() throws Exception {
		start(4095);
		write(1, 5);
		Iterator<GetFlowsResponse> stream = this.blocking.withDeadlineAfter(30, TimeUnit.SECONDS)
			.getFlows(GetFlowsRequest.newBuilder().setNumber(2).setFollow(true).build());
		assertThat(port(stream.next())).isEqualTo(4);
		assertThat(port(stream.next())).isEqualTo(5);
		write(6, 7);
		assertThat(port(stream.next())).isEqualTo(6);
		assertThat(port(stream.next())).isEqualTo(7);
	}

	@Test
	void aStalledFollowerNeverHoldsUpTheWriterAndHearsExactlyWhatItLost() throws Exception {
		start(7);
		BlockingQueue<GetFlowsResponse> received = new LinkedBlockingQueue<>();
		List<ClientCallStreamObserver<GetFlowsRequest>> calls = new ArrayList<>();
		// the last flow and then every new one: flow 0 arrives exactly once, whether the
		// call starts before or after it is written
		this.async.getFlows(GetFlowsRequest.newBuilder().setNumber(1).setFollow(true).build(),
				new ClientResponseObserver<GetFlowsRequest, GetFlowsResponse>() {
					@Override
					public void beforeStart(ClientCallStreamObserver<GetFlowsRequest> call) {
						call.disableAutoRequestWithInitial(1);
						calls.add(call);
					}

					@Override
					public void onNext(GetFlowsResponse value) {
						received.add(value);
					}

					@Override
					public void onError(Throwable t) {
					}

					@Override
					public void onCompleted() {
					}
				});
		write(0, 0);
		GetFlowsResponse first = received.poll(30, TimeUnit.SECONDS);
		assertThat(port(first)).isZero();
		// the client asks for nothing more: the writer goes on regardless
		write(1, 1000);
		assertThat(this.observer.seenFlows()).isEqualTo(1001);

		calls.get(0).request(Integer.MAX_VALUE);
		long flows = 0;
		long lost = 0;
		int last = 0;
		while (last != 1000) {
			GetFlowsResponse response = received.poll(30, TimeUnit.SECONDS);
			assertThat(response).as("flows and losses up to flow 1000").isNotNull();
			if (response.hasLostEvents()) {
				assertThat(response.getLostEvents().getSource()).isEqualTo(LostEventSource.HUBBLE_RING_BUFFER);
				lost += response.getLostEvents().getNumEventsLost();
			}
			else {
				last = port(response);
				flows++;
			}
		}
		assertThat(lost).isPositive();
		assertThat(flows + lost).isEqualTo(1000);
		calls.get(0).cancel("done", null);
	}

	@Test
	void lossesReportedByTheDatapathReachEveryReader() throws Exception {
		start(4095);
		write(1, 1);
		this.observer.lost(LostEventSource.PERF_EVENT_RING_BUFFER, 42);
		write(2, 2);
		List<GetFlowsResponse> responses = new ArrayList<>();
		this.blocking.getFlows(GetFlowsRequest.getDefaultInstance()).forEachRemaining(responses::add);
		assertThat(responses).hasSize(3);
		assertThat(responses.get(1).getLostEvents().getSource()).isEqualTo(LostEventSource.PERF_EVENT_RING_BUFFER);
		assertThat(responses.get(1).getLostEvents().getNumEventsLost()).isEqualTo(42);
		assertThat(this.observer.lostEvents()).containsEntry(LostEventSource.PERF_EVENT_RING_BUFFER, 42L);
	}

	@Test
	void namespacesAreThoseOfTheFlowsSeenOnEitherSideSortedInTheNodesCluster() throws Exception {
		start(4095);
		this.observer.flow(Flow.newBuilder()
			.setSource(Endpoint.newBuilder().setNamespace("shop"))
			.setDestination(Endpoint.newBuilder().setNamespace("bank"))
			.build());
		this.observer.flow(Flow.newBuilder()
			.setSource(Endpoint.newBuilder().setNamespace("shop"))
			.setDestination(Endpoint.newBuilder().setIdentity(2))
			.build());

		assertThat(this.blocking.getNamespaces(GetNamespacesRequest.getDefaultInstance()).getNamespacesList())
			.containsExactly(Namespace.newBuilder().setCluster("cluster-1").setNamespace("bank").build(),
					Namespace.newBuilder().setCluster("cluster-1").setNamespace("shop").build());
	}

	private void start(int capacity) throws Exception {
		this.observer = new LocalObserver(new FlowRing(capacity),
				new FlowEnricher("node-1", new LocalEndpoints(), (id) -> List.of()), Clock.systemUTC());
		FlowStreams streams = new FlowStreams(4);
		String name = InProcessServerBuilder.generateName();
		Server server = InProcessServerBuilder.forName(name)
			.addService(new ObserverService(this.observer, streams, "node-1", "test", "", "cluster-1", null))
			.build()
			.start();
		ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
		this.closing.add(channel::shutdownNow);
		this.closing.add(server::shutdownNow);
		this.closing.add(streams::stop);
		this.blocking = ObserverGrpc.newBlockingStub(channel);
		this.async = ObserverGrpc.newStub(channel);
	}

	/** Flows with destination port and time (seconds) from first to last. */
	private void write(int first, int last) {
		for (int n = first; n <= last; n++) {
			this.observer.flow(Flow.newBuilder()
				.setTime(seconds(n))
				.setL4(Layer4.newBuilder().setTCP(TCP.newBuilder().setDestinationPort(n)))
				.build());
		}
	}

	private List<Integer> ports(GetFlowsRequest request) {
		List<Integer> ports = new ArrayList<>();
		this.blocking.withDeadlineAfter(30, TimeUnit.SECONDS)
			.getFlows(request)
			.forEachRemaining((response) -> ports.add(port(response)));
		return ports;
	}

	private static int port(GetFlowsResponse response) {
		assertThat(response.getNodeName()).isEqualTo("node-1");
		return response.getFlow().getL4().getTCP().getDestinationPort();
	}

	private static Timestamp seconds(long seconds) {
		return Timestamp.newBuilder().setSeconds(seconds).build();
	}

}
