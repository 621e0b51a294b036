package io.jcilium.agent.endpoint;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EndpointStateTest {

	@Test
	void creationPathLeadsToReady() {
		assertThat(EndpointState.WAITING_FOR_IDENTITY.canMoveTo(EndpointState.WAITING_TO_REGENERATE)).isTrue();
		assertThat(EndpointState.WAITING_TO_REGENERATE.canMoveTo(EndpointState.REGENERATING)).isTrue();
		assertThat(EndpointState.REGENERATING.canMoveTo(EndpointState.READY)).isTrue();
	}

	@Test
	void readyCannotBeReachedWithoutRegenerating() {
		assertThat(EndpointState.WAITING_FOR_IDENTITY.canMoveTo(EndpointState.READY)).isFalse();
		assertThat(EndpointState.WAITING_TO_REGENERATE.canMoveTo(EndpointState.READY)).isFalse();
	}

	@Test
	void disconnectedIsFinalAndOnlyReachedThroughDisconnecting() {
		for (EndpointState state : EndpointState.values()) {
			assertThat(EndpointState.DISCONNECTED.canMoveTo(state)).isFalse();
			if (state != EndpointState.DISCONNECTING) {
				assertThat(state.canMoveTo(EndpointState.DISCONNECTED)).as(state.apiName()).isFalse();
			}
		}
	}

	@Test
	void everyLiveStateCanBeDisconnected() {
		for (EndpointState state : EndpointState.values()) {
			if (state != EndpointState.DISCONNECTING && state != EndpointState.DISCONNECTED) {
				assertThat(state.canMoveTo(EndpointState.DISCONNECTING)).as(state.apiName()).isTrue();
			}
		}
	}

	@Test
	void apiNamesAreUpstreams() {
		assertThat(EndpointState.WAITING_FOR_IDENTITY.apiName()).isEqualTo("waiting-for-identity");
		assertThat(EndpointState.WAITING_TO_REGENERATE.apiName()).isEqualTo("waiting-to-regenerate");
		assertThat(EndpointState.NOT_READY.apiName()).isEqualTo("not-ready");
	}

}
