package io.jcilium.bgp.agentstate;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.TlsServerCredentials;
import io.jcilium.api.agent.v1.NodeState;
import io.jcilium.api.tls.MutualTls;
import io.jcilium.api.tls.MutualTlsAutoConfiguration;
import io.jcilium.testsupport.TestCertificates;
import io.jcilium.testsupport.TestCertificates.Issued;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bgp-service reads the agent's node state over mTLS (issue 17 point 1): the agent's port
 * requires client certificates, the speaker's channel takes its certificate and the
 * cluster's CA from a Spring SSL bundle, as {@code bgp.agent-ssl-bundle} names it.
 */
class AgentNodeStateMutualTlsIT {

	private final TestAgent agent = new TestAgent();

	private final Deque<AutoCloseable> resources = new ArrayDeque<>();

	private TestCertificates authority;

	private Server server;

	@BeforeEach
	void startAgent() throws IOException {
		this.authority = TestCertificates.newAuthority("jcilium-test-ca");
		Issued agentCertificate = this.authority.issue("cilium-agent");
		this.server = Grpc
			.newServerBuilderForPort(0,
					TlsServerCredentials.newBuilder()
						.keyManager(agentCertificate.certificate().toFile(), agentCertificate.privateKey().toFile())
						.trustManager(this.authority.caCertificate().toFile())
						.clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
						.build())
			.addService(this.agent)
			.build()
			.start();
		this.agent.push(NodeState.newBuilder().addPodCidrs("10.0.7.0/24").build());
	}

	@AfterEach
	void stop() throws Exception {
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
		if (this.server != null) {
			this.server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
		if (this.authority != null) {
			this.authority.close();
		}
	}

	@Test
	void theSpeakerReadsTheNodeStateWithItsCertificate() {
		List<String> bundle = this.authority.springBundle("bgp", this.authority.issue("jcilium-bgp"));
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, MutualTlsAutoConfiguration.class))
			.withPropertyValues(bundle.toArray(String[]::new))
			.withPropertyValues("spring.grpc.server.enabled=false")
			.run((context) -> {
				AgentNodeState state = watch(MutualTls.channelCredentials(context.getBean(SslBundles.class), "bgp"));

				await(() -> state.latest() != null);
				assertThat(state.latest().getPodCidrsList()).containsExactly("10.0.7.0/24");
			});
	}

	@Test
	void withoutACertificateOfTheClustersCaNoStateArrives() throws Exception {
		try (TestCertificates stranger = TestCertificates.newAuthority("stranger-ca")) {
			List<String> bundle = stranger.springBundle("bgp", stranger.issue("jcilium-bgp"));
			List<String> strangerTrustingOurCa = new ArrayList<>(bundle.subList(0, 2));
			strangerTrustingOurCa
				.add("spring.ssl.bundle.pem.bgp.truststore.certificate=file:" + this.authority.caCertificate());
			new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, MutualTlsAutoConfiguration.class))
				.withPropertyValues(strangerTrustingOurCa.toArray(String[]::new))
				.withPropertyValues("spring.grpc.server.enabled=false")
				.run((context) -> {
					AgentNodeState withStrangersCertificate = watch(
							MutualTls.channelCredentials(context.getBean(SslBundles.class), "bgp"));
					AgentNodeState plaintext = watch(MutualTls.channelCredentials(null, ""));

					await(() -> withStrangersCertificate.job().status().lastError() != null
							&& plaintext.job().status().lastError() != null);
					assertThat(withStrangersCertificate.latest()).isNull();
					assertThat(plaintext.latest()).isNull();
				});
		}
	}

	private AgentNodeState watch(ChannelCredentials credentials) {
		ManagedChannel channel = Grpc.newChannelBuilderForAddress("localhost", this.server.getPort(), credentials)
			.build();
		this.resources.push(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
		AgentNodeState state = new AgentNodeState(channel);
		this.resources.push(state);
		state.start();
		return state;
	}

	private static void await(BooleanSupplier condition) throws InterruptedException {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
		while (!condition.getAsBoolean()) {
			if (Instant.now().isAfter(deadline)) {
				throw new AssertionError("not within 30 s");
			}
			Thread.sleep(50);
		}
	}

}
