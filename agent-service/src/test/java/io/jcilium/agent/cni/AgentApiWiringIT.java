package io.jcilium.agent.cni;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.jcilium.agent.endpoint.EndpointConfiguration;
import io.jcilium.agent.endpoint.EndpointManager;
import io.jcilium.agent.endpoint.Eventually;
import io.jcilium.agent.endpoint.PersistentPodIps;
import io.jcilium.agent.jobs.AgentJobsConfiguration;
import io.jcilium.agent.link.InMemoryLinkOperations;
import io.jcilium.agent.link.LinkOperations;
import io.jcilium.agent.link.PodLinkSpec;
import org.junit.jupiter.api.Test;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoint and CNI cells wired by Spring from {@code jcilium.agent.*} properties: the
 * API answers on the configured socket, and a bad pod CIDR stops the agent with a message
 * naming the property. Links are the in-memory fake, so no root is needed.
 */
class AgentApiWiringIT {

	@TempDir
	Path dir;

	private final InMemoryLinkOperations links = new InMemoryLinkOperations();

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withUserConfiguration(AgentJobsConfiguration.class, EndpointConfiguration.class, CniConfiguration.class)
			.withBean(LinkOperations.class, () -> this.links)
			.withPropertyValues("jcilium.agent.state-dir=" + this.dir.resolve("state"),
					"jcilium.agent.cni.socket-path=" + this.dir.resolve("agent.sock"));
	}

	@Test
	void servesTheApiOnTheConfiguredSocket() {
		runner().withPropertyValues("jcilium.agent.ipam.pod-cidr=10.214.0.0/24").run((context) -> {
			assertThat(context).hasSingleBean(EndpointManager.class);
			assertThat(context.getBean(AgentApiServer.class).isRunning()).isTrue();
			assertThat(get("/v1/healthz")).startsWith("HTTP/1.1 200").endsWith("{\"status\":\"ok\"}");
			assertThat(get("/v1/endpoint")).endsWith("[]");
			assertThat(get("/v1/nothing")).startsWith("HTTP/1.1 404").contains("PUT /v1/cni/");
		});
		assertThat(this.dir.resolve("agent.sock")).as("socket removed on stop").doesNotExist();
	}

	@Test
	void restoresEndpointsAtStartFreeingThoseWhosePodVanished() throws IOException {
		Path endpoints = Files.createDirectories(this.dir.resolve("state/endpoints"));
		Files.writeString(endpoints.resolve("9.json"), """
				{"id":9,"containerId":"gone","podIfName":"eth0","netnsPath":"/run/netns/gone","podNamespace":"default",
				"podName":"web","ip":"10.214.0.9","hostIfName":"lxcgone","hostIfIndex":42,"hostMac":"02:00:00:00:00:01",
				"podMac":"02:00:00:00:00:02","identity":1000,"securityLabels":["k8s:app=web"]}
				""");
		runner()
			.withPropertyValues("jcilium.agent.ipam.pod-cidr=10.214.0.0/24",
					"jcilium.agent.endpoint.add-sync-timeout=1s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(endpoints.resolve("9.json")).as("vanished pod cleaned up at start").doesNotExist();
				assertThat(get("/v1/endpoint")).endsWith("[]");
			});
	}

	@Test
	void listsTheHeldAddressOfAPodWithNoEndpointAndWhyItIsKeptWithoutKubernetes() throws IOException {
		// A pod whose endpoint file is gone (quarantined) while its veth and address
		// live.
		Files.createDirectories(this.dir.resolve("state/endpoints"));
		InetAddress ip = new PersistentPodIps("10.214.0.0/24", this.dir.resolve("state/pod-ip-allocations"))
			.allocate("c-live", "eth0", null);
		String veth = EndpointManager.hostIfName("c-live", "eth0");
		this.links.createPodLink(
				new PodLinkSpec(veth, "eth0", "/run/netns/live", ip, "02:00:00:00:00:01", "02:00:00:00:00:02"));
		runner().withPropertyValues("jcilium.agent.ipam.pod-cidr=10.214.0.0/24").run((context) -> {
			assertThat(context).hasNotFailed();
			Eventually.await("reconciled once", Duration.ofSeconds(30),
					() -> get("/v1/endpoint/quarantine/orphans").contains("no Kubernetes connection"));
			JsonNode orphan = Json.MAPPER.readTree(body(get("/v1/endpoint/quarantine/orphans"))).get(0);
			assertThat(orphan.get("containerId").asText()).isEqualTo("c-live");
			assertThat(orphan.get("ip").asText()).isEqualTo(ip.getHostAddress());
			assertThat(orphan.get("hostIfName").asText()).isEqualTo(veth);
			assertThat(orphan.get("heldBecause").asText()).contains("kept until CNI DEL");
			assertThat(this.links.hostLinkExists(veth)).isTrue();
		});
	}

	private static String body(String response) {
		return response.substring(response.indexOf("\r\n\r\n") + 4);
	}

	@Test
	void ipv6PodCidrIsRejectedNamingTheProperty() {
		runner().withPropertyValues("jcilium.agent.ipam.pod-cidr=fd00::/112")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("jcilium.agent.ipam.pod-cidr"));
	}

	private String get(String path) {
		try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			channel.connect(UnixDomainSocketAddress.of(this.dir.resolve("agent.sock")));
			channel.write(StandardCharsets.US_ASCII.encode("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n"));
			return new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
