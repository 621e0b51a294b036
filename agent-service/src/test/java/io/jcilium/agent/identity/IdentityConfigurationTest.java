package io.jcilium.agent.identity;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.jcilium.agent.endpoint.EndpointConfiguration;
import io.jcilium.agent.endpoint.IdentityResolver;
import io.jcilium.agent.endpoint.InitIdentityResolver;
import io.jcilium.agent.jobs.AgentJobsConfiguration;
import io.jcilium.agent.policy.PolicyUpdates;
import io.jcilium.common.label.Labels;
import io.jcilium.common.policy.model.Identity;
import io.jcilium.common.policy.parse.PolicyParser.PolicyObject;
import io.jcilium.identity.client.IdentityClient;
import io.jcilium.identity.client.IdentityUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The identity cell's wiring: it replaces the endpoint cell's stand-in resolver, starts
 * without identity-service (here a port nobody listens on), fails resolutions quickly
 * naming the service, and feeds the reserved identities to the policy.
 */
class IdentityConfigurationTest {

	@TempDir
	Path stateDir;

	@Test
	void serviceResolverReplacesTheStandInAndTheAgentStartsWithoutTheService() throws IOException {
		int closedPort = closedPort();
		runner(closedPort).withBean(RecordingPolicyUpdates.class, RecordingPolicyUpdates::new).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(IdentityResolver.class)).isInstanceOf(ServiceIdentityResolver.class);
			assertThat(context.getBean(IdentityClient.class).settings().node()).isEqualTo("node-under-test");
			// The reserved identities reach the policy at once, whatever the service
			// does.
			assertThat(context.getBean(RecordingPolicyUpdates.class).upserted).extracting(Identity::id)
				.containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);

			ServiceIdentityResolver resolver = context.getBean(ServiceIdentityResolver.class);
			assertThat(resolver.resolve(Labels.empty())).as("labels not known yet: init").isEqualTo(5);
			// Fails rather than hangs: refused, or cut by the client's call timeout (on
			// a loaded machine the refusal can come later than the timeout). The
			// generous bound only catches a hang.
			IdentityUnavailableException failure = assertTimeoutPreemptively(Duration.ofSeconds(60),
					() -> catchThrowableOfType(IdentityUnavailableException.class,
							() -> resolver.resolve(Labels.parse(List.of("k8s:app=web")))));
			assertThat(failure).hasMessageContaining("cannot resolve the identity of labels k8s:app=web")
				.hasMessageContaining("identity-service at 127.0.0.1:" + closedPort + " is unavailable since");
		});
	}

	@Test
	void disabledLeavesTheStandIn() throws IOException {
		runner(closedPort()).withPropertyValues("jcilium.agent.identity.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(IdentityClient.class);
			assertThat(context.getBean(IdentityResolver.class)).isInstanceOf(InitIdentityResolver.class);
		});
	}

	private ApplicationContextRunner runner(int port) {
		return new ApplicationContextRunner().withUserConfiguration(EndpointConfiguration.class)
			.withUserConfiguration(AgentJobsConfiguration.class, IdentityConfiguration.class)
			.withPropertyValues("jcilium.agent.state-dir=" + this.stateDir,
					"jcilium.agent.identity.target=static://127.0.0.1:" + port,
					"jcilium.agent.identity.node=node-under-test", "jcilium.agent.identity.call-timeout=1s",
					"jcilium.agent.identity.attempt-timeout=500ms");
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	static final class RecordingPolicyUpdates implements PolicyUpdates {

		final List<Identity> upserted = new CopyOnWriteArrayList<>();

		@Override
		public void upsertPolicy(PolicyObject policy) {
		}

		@Override
		public void removePolicy(String key) {
		}

		@Override
		public void upsertIdentity(Identity identity) {
			this.upserted.add(identity);
		}

		@Override
		public void removeIdentity(long id) {
		}

	}

}
