package io.jcilium.cli.hubble;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.MethodDescriptor;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.observer.GetFlowsRequest;
import io.jcilium.api.hubble.observer.GetFlowsResponse;
import io.jcilium.api.hubble.observer.ServerStatusResponse;
import io.jcilium.cli.services.ClientTls;
import io.jcilium.cli.services.ServiceAddresses;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code hubble observe}'s call asks the server for responses in batches, not one at a
 * time (a client asking one at a time caps itself at about 10,000 flows/s), and still
 * prints every response once, in the order sent.
 */
class FlowsCallTest {

	private static final int FLOWS = 5000;

	@Test
	void responsesAreAskedForInBatchesAndEachIsPrintedOnceInOrder() throws Exception {
		List<GetFlowsResponse> responses = IntStream.range(0, FLOWS).mapToObj(FlowsCallTest::response).toList();
		List<Integer> asked = new CopyOnWriteArrayList<>();
		StringWriter out = new StringWriter();
		try (TestObserver server = new TestObserver(responses, List.of(), ServerStatusResponse.getDefaultInstance());
				HubbleServer hubble = HubbleServer.open(server.address(),
						new ServiceAddresses(Map.of(), ClientTls.plaintext()))) {
			Channel recorded = ClientInterceptors.intercept(hubble.channel(), new RequestRecorder(asked));
			FlowsPrinter printer = new FlowsPrinter(
					(response) -> String.valueOf(response.getFlow().getL4().getTCP().getSourcePort()),
					new PrintWriter(out), new PrintWriter(new StringWriter()));

			new FlowsCall(hubble, recorded, GetFlowsRequest.getDefaultInstance(), printer).run();
		}

		assertThat(out.toString().lines()).as("every flow once, in order")
			.containsExactlyElementsOf(IntStream.range(0, FLOWS).mapToObj((i) -> String.valueOf(10_000 + i)).toList());
		assertThat(asked).as("the first request asks for a whole window").first().isEqualTo(FlowsCall.WINDOW);
		assertThat(asked).as("then half a window at a time")
			.hasSize(1 + FLOWS / (FlowsCall.WINDOW / 2))
			.allSatisfy((count) -> assertThat(count).isGreaterThanOrEqualTo(FlowsCall.WINDOW / 2));
	}

	private static GetFlowsResponse response(int i) {
		Flow syn = TestFlows.syn();
		Flow flow = syn.toBuilder()
			.setL4(syn.getL4().toBuilder().setTCP(syn.getL4().getTCP().toBuilder().setSourcePort(10_000 + i)))
			.build();
		return GetFlowsResponse.newBuilder().setFlow(flow).setTime(flow.getTime()).build();
	}

	/** Records how many messages each {@code request} call asks for. */
	private record RequestRecorder(List<Integer> asked) implements ClientInterceptor {

		@Override
		public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
			return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {

				@Override
				public void request(int count) {
					RequestRecorder.this.asked.add(count);
					super.request(count);
				}

			};
		}

	}

}
