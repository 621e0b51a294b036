package io.jcilium.relay.observer;

import com.google.protobuf.Timestamp;
import io.jcilium.api.hubble.flow.FlowFilter;
import io.jcilium.api.hubble.observer.GetFlowsRequest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a node is picked up again in a {@code follow} request, and when a request is over.
 */
class RequestNodesTest {

	private final GetFlowsRequest request = GetFlowsRequest.newBuilder()
		.setFollow(true)
		.setNumber(20)
		.addWhitelist(FlowFilter.newBuilder().addSourcePod("shop/"))
		.build();

	@Test
	void aNodeThatSentNothingIsAskedTheClientsOwnRequest() {
		RequestNodes nodes = new RequestNodes(this.request);
		assertThat(nodes.requestFor("node-a")).isEqualTo(this.request);
	}

	@Test
	void aResumedNodeIsAskedFromItsLastResponseAndWhatItRepeatsIsDropped() {
		RequestNodes nodes = new RequestNodes(this.request);
		assertThat(nodes.accept("node-a", 5_000_000_100L)).isTrue();
		assertThat(nodes.accept("node-a", 5_000_000_200L)).isTrue();
		nodes.away("node-a");

		GetFlowsRequest resumed = nodes.requestFor("node-a");

		assertThat(resumed.getSince()).isEqualTo(Timestamp.newBuilder().setSeconds(5).setNanos(200).build());
		assertThat(resumed.getNumber()).as("number cannot go with since").isZero();
		assertThat(resumed.getWhitelistList()).isEqualTo(this.request.getWhitelistList());
		assertThat(resumed.getFollow()).isTrue();
		assertThat(nodes.accept("node-a", 5_000_000_200L)).as("sent before the break").isFalse();
		assertThat(nodes.accept("node-a", 5_000_000_201L)).isTrue();
		assertThat(nodes.accept("node-b", 1L)).as("another node's cutoff is its own").isTrue();
	}

	@Test
	void theClientsSinceWinsWhenItIsLater() {
		GetFlowsRequest since = this.request.toBuilder().setSince(Timestamp.newBuilder().setSeconds(9)).build();
		RequestNodes nodes = new RequestNodes(since);
		nodes.accept("node-a", 1_000_000_000L);
		assertThat(nodes.requestFor("node-a").getSince().getSeconds()).isEqualTo(9);
	}

	@Test
	void withoutFollowARequestEndsWhenNoNodeReads() {
		RequestNodes nodes = new RequestNodes(GetFlowsRequest.getDefaultInstance());
		nodes.reading("node-a");
		nodes.away("node-b");
		assertThat(nodes.finished(false)).isFalse();
		nodes.ended("node-a");
		assertThat(nodes.finished(false)).isTrue();
	}

	@Test
	void withFollowARequestWaitsForNodesAwayAndForAnyNodeAtAll() {
		RequestNodes nodes = new RequestNodes(this.request);
		assertThat(nodes.finished(true)).as("no node yet: one may join").isFalse();
		nodes.ended("node-a");
		nodes.away("node-b");
		assertThat(nodes.finished(true)).isFalse();
		assertThat(nodes.mayResume("node-b")).isTrue();
		assertThat(nodes.mayResume("node-a")).isFalse();
		assertThat(nodes.mayResume("node-new")).isTrue();
		nodes.ended("node-b");
		assertThat(nodes.finished(true)).isTrue();
	}

}
