package io.jcilium.api.caller;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CallerTest {

	@Test
	void aNodeActsOnlyForItself() {
		assertThatCode(() -> Caller.node("node-a").requireActingFor("node-a", "Release")).doesNotThrowAnyException();
		assertThatThrownBy(() -> Caller.node("node-a").requireActingFor("node-b", "Release"))
			.isInstanceOfSatisfying(StatusRuntimeException.class,
					(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED))
			.hasMessageContaining("node 'node-b'")
			.hasMessageContaining("not to node 'node-a'");
	}

	@Test
	void theOperatorActsForEveryNodeAndAdministers() {
		assertThatCode(() -> Caller.operator().requireActingFor("node-b", "Release")).doesNotThrowAnyException();
		assertThatCode(() -> Caller.operator().requireOperator("DeletePool")).doesNotThrowAnyException();
	}

	@Test
	void nodesAndUndeclaredCallersDoNotAdminister() {
		assertThatThrownBy(() -> Caller.node("node-a").requireOperator("DeletePool"))
			.hasMessageContaining("DeletePool is allowed only to the operator");
		assertThatThrownBy(() -> Caller.unknown().requireOperator("DeletePool"))
			.hasMessageContaining("did not say who it is");
		assertThatThrownBy(() -> Caller.unknown().requireActingFor("node-a", "Heartbeat"))
			.hasMessageContaining("only to that node itself or the operator");
	}

	@Test
	void theHeaderRoundTripsAndRefusesWhatItDoesNotKnow() {
		assertThat(CallerHeader.parse(Caller.node("node-a").headerValue())).isEqualTo(Caller.node("node-a"));
		assertThat(CallerHeader.parse(Caller.operator().headerValue())).isEqualTo(Caller.operator());
		assertThat(CallerHeader.parse(null)).isEqualTo(Caller.unknown());
		assertThatIllegalArgumentException().isThrownBy(() -> CallerHeader.parse("admin"))
			.withMessageContaining("neither 'operator' nor 'node/<name>'");
		assertThatIllegalArgumentException().isThrownBy(() -> CallerHeader.parse("node/"))
			.withMessageContaining("is not a node name");
	}

}
