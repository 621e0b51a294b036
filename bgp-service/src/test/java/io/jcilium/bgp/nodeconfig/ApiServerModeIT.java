package io.jcilium.bgp.nodeconfig;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.jcilium.api.crd.v2.CiliumBGPNodeConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole bgp-service in API server mode against fabric8's CRUD mock server: a
 * CiliumBGPNodeConfig created for its node shows up as a configured neighbour in
 * {@code /actuator/bgp}.
 */
@EnableKubernetesMockClient(crud = true)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "bgp.api-server-enabled=true", "bgp.node-name=worker-1" })
class ApiServerModeIT {

	static KubernetesClient client;

	@LocalServerPort
	int httpPort;

	@BeforeAll
	static void registerCrds() throws IOException {
		// The service builds its own client from the environment, as in a pod: point it
		// at
		// the mock server.
		System.setProperty("kubernetes.master", client.getMasterUrl().toString());
		System.setProperty("kubernetes.trust.certificates", "true");
		System.setProperty("kubernetes.auth.tryKubeConfig", "false");
		System.setProperty("kubernetes.auth.tryServiceAccount", "false");
		for (String plural : List.of("ciliumbgpnodeconfigs", "ciliumbgppeerconfigs", "ciliumbgpadvertisements",
				"ciliumnodes", "ciliumbgppeeringpolicies", "ciliumpodippools")) {
			try (InputStream in = Objects.requireNonNull(
					ApiServerModeIT.class.getResourceAsStream("/META-INF/fabric8/" + plural + ".cilium.io-v1.yml"),
					plural)) {
				client.apiextensions()
					.v1()
					.customResourceDefinitions()
					.resource(client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class))
					.createOr((existing) -> existing.update());
			}
		}
	}

	@Test
	void aNodeConfigForThisNodeConfiguresTheSpeaker() {
		assertThat(bgp()).containsEntry("configured", false);

		client.resource(client.getKubernetesSerialization().unmarshal("""
				apiVersion: cilium.io/v2
				kind: CiliumBGPNodeConfig
				metadata: {name: worker-1}
				spec:
				  bgpInstances:
				  - name: instance-65000
				    localASN: 65000
				    routerID: 192.0.2.71
				    peers:
				    - {name: tor, peerASN: 65100, peerAddress: 127.0.0.72}
				""", CiliumBGPNodeConfig.class)).create();

		Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
		while (!Boolean.TRUE.equals(bgp().get("configured"))) {
			assertThat(Instant.now()).as("the speaker was configured").isBefore(deadline);
			sleep();
		}
		assertThat(bgp().get("peers").toString()).contains("peerAddress=127.0.0.72", "localAsn=65000", "peerAsn=65100");
	}

	@AfterAll
	static void clearClientProperties() {
		for (String key : List.of("kubernetes.master", "kubernetes.trust.certificates", "kubernetes.auth.tryKubeConfig",
				"kubernetes.auth.tryServiceAccount")) {
			System.clearProperty(key);
		}
	}

	private Map<String, Object> bgp() {
		return RestClient.create("http://localhost:" + this.httpPort)
			.get()
			.uri("/actuator/bgp")
			.retrieve()
			.body(new ParameterizedTypeReference<Map<String, Object>>() {
			});
	}

	private static void sleep() {
		try {
			Thread.sleep(50);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
