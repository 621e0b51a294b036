package io.jcilium.helm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.jcilium.testsupport.ApiCall;
import io.jcilium.testsupport.ApiCallRecorder;
import io.jcilium.testsupport.Prerequisites;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart's roles grant every Kubernetes API call the agent and the operator really
 * made during their integration tests against the mock API server (recorded by
 * test-support's {@link ApiCallRecorder} into {@code target/api-calls} in this same Maven
 * run), checked the way the authorizer checks them. This is the independent source
 * {@link RbacFromCodeTest}'s hand-written lists are not: a call added to the code without
 * its grant fails here.
 */
class RbacFromRecordedCallsTest {

	private static RenderedChart chart;

	@BeforeAll
	static void render() {
		chart = RenderedChart.renderDefaults();
	}

	@Test
	void agentsRoleGrantsEveryCallTheAgentMade() throws IOException {
		RbacTest.Rules agent = RbacTest.Rules.of(chart.get("ClusterRole", "jcilium-agent"));

		for (ApiCall call : recorded("agent-service")) {
			assertThat(agent.allows(call.group(), call.resource(), call.verb())).as("the agent made '%s'", call.line())
				.isTrue();
		}
	}

	@Test
	void operatorsRolesGrantEveryCallTheOperatorMade() throws IOException {
		RbacTest.Rules operator = RbacTest.Rules.of(chart.get("ClusterRole", "jcilium-operator"));
		// The lease lives in the operator's namespace: a Role, not the ClusterRole.
		RbacTest.Rules election = RbacTest.Rules.of(chart.get("Role", "jcilium-operator-leader-election"));
		// The CA Secret the node certificates are signed with, in the same namespace.
		RbacTest.Rules ca = RbacTest.Rules.of(chart.get("Role", "jcilium-operator-ca"));

		for (ApiCall call : recorded("operator-service")) {
			boolean allowed = operator.allows(call.group(), call.resource(), call.verb())
					|| election.allows(call.group(), call.resource(), call.verb())
					|| ca.allows(call.group(), call.resource(), call.verb());
			assertThat(allowed).as("the operator made '%s'", call.line()).isTrue();
		}
	}

	private static List<ApiCall> recorded(String service) throws IOException {
		Path file = Path.of("..", service, "target", "api-calls", service + ".txt");
		Optional<List<ApiCall>> calls = ApiCallRecorder.recordedInThisBuild(file);
		// Only this Maven run's recording counts: one left by an earlier run may miss
		// calls
		// the code makes now, or hold calls it no longer makes.
		Prerequisites.require(calls.isPresent(),
				"no API calls recorded in " + file + " by this build (" + ApiCallRecorder.buildId() + "): run "
						+ service + "'s integration tests in the same Maven run (e.g. ./mvnw verify -pl helm -am)");
		assertThat(calls.get()).as("calls recorded in %s", file).isNotEmpty();
		return calls.get();
	}

}
