package io.jcilium.agent.cni;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.jcilium.agent.endpoint.EndpointLifecycleSettings;
import io.jcilium.agent.endpoint.EndpointManager;
import io.jcilium.agent.endpoint.Eventually;
import io.jcilium.agent.endpoint.FlakyIdentityResolver;
import io.jcilium.agent.endpoint.InMemoryPodMetadata;
import io.jcilium.agent.endpoint.NoEndpointDatapath;
import io.jcilium.agent.endpoint.InitIdentityResolver;
import io.jcilium.agent.endpoint.RecordingEndpointDatapath;
import io.jcilium.agent.endpoint.PersistentPodIps;
import io.jcilium.agent.link.InMemoryLinkOperations;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class CniServiceTest {

	@TempDir
	Path stateDir;

	private final InMemoryLinkOperations links = new InMemoryLinkOperations();

	private CniService cni;

	@BeforeEach
	void setUp() {
		EndpointManager endpoints = new EndpointManager(this.links,
				new PersistentPodIps("10.20.0.0/24", this.stateDir.resolve("ips")), new InitIdentityResolver(),
				new RecordingEndpointDatapath());
		this.cni = new CniService(endpoints, this.links);
	}

	@Test
	void addAnswersA10ResultWithInterfacesIpsAndRoutes() {
		HttpResponse response = this.cni.add(call("1.0.0", "c1", "IgnoreUnknown=1;K8S_POD_NAME=web"));

		assertThat(response.status()).isEqualTo(200);
		JsonNode result = json(response);
		assertThat(result.path("cniVersion").asText()).isEqualTo("1.0.0");
		assertThat(result.path("interfaces")).hasSize(2);
		assertThat(result.path("interfaces").get(0).path("name").asText()).startsWith("lxc");
		assertThat(result.path("interfaces").get(1).path("name").asText()).isEqualTo("eth0");
		assertThat(result.path("interfaces").get(1).path("sandbox").asText()).isEqualTo("/run/netns/c1");
		assertThat(result.path("interfaces").get(1).path("mac").asText()).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
		JsonNode ip = result.path("ips").get(0);
		assertThat(ip.path("address").asText()).isEqualTo("10.20.0.2/32");
		assertThat(ip.path("interface").asInt()).isEqualTo(1);
		assertThat(ip.has("version")).as("1.0.0 results have no IP version").isFalse();
		assertThat(result.path("routes").get(0).path("dst").asText()).isEqualTo("0.0.0.0/0");
		assertThat(result.path("routes").get(0).path("gw").asText()).isEqualTo("169.254.1.1");
	}

	@Test
	void addAnswersOlderVersionsWithAnIpVersion() {
		JsonNode result = json(this.cni.add(call("0.3.1", "c1", "")));
		assertThat(result.path("cniVersion").asText()).isEqualTo("0.3.1");
		assertThat(result.path("ips").get(0).path("version").asText()).isEqualTo("4");
	}

	@Test
	void addHonoursARequestedIp() {
		JsonNode result = json(this.cni.add(call("1.0.0", "c1", "IgnoreUnknown=1;IP=10.20.0.77")));
		assertThat(result.path("ips").get(0).path("address").asText()).isEqualTo("10.20.0.77/32");
	}

	@Test
	void unsupportedVersionIsErrorCode1() {
		HttpResponse response = this.cni.add(call("1.1.0", "c1", ""));
		assertThat(response.status()).isEqualTo(400);
		assertThat(json(response).path("code").asInt()).isEqualTo(ExpectedCniCodes.INCOMPATIBLE_CNI_VERSION);
		assertThat(json(response).path("msg").asText()).contains("1.1.0");
	}

	@Test
	void missingContainerIdIsErrorCode4InTheConfigsVersion() {
		HttpResponse response = this.cni.add(call("0.4.0", "", ""));
		assertThat(json(response).path("code").asInt()).isEqualTo(ExpectedCniCodes.INVALID_ENVIRONMENT_VARIABLES);
		assertThat(json(response).path("cniVersion").asText()).isEqualTo("0.4.0");
		assertThat(json(response).path("msg").asText()).contains("CNI_CONTAINERID");
	}

	@Test
	void undecodableConfigIsErrorCode6() {
		HttpRequest request = new HttpRequest("PUT", "/v1/cni/add", headers("c1"),
				"{not json".getBytes(StandardCharsets.UTF_8));
		assertThat(json(this.cni.add(request)).path("code").asInt())
			.isEqualTo(ExpectedCniCodes.FAILED_TO_DECODE_CONTENT);
	}

	@Test
	void exhaustedAddressesAreErrorCode100() {
		HttpResponse response = this.cni.add(call("1.0.0", "c1", "IP=10.20.0.1"));
		assertThat(response.status()).isEqualTo(500);
		assertThat(json(response).path("code").asInt()).isEqualTo(ExpectedCniCodes.IP_ALLOCATION);
		assertThat(json(response).path("details").asText()).contains("reserved");
	}

	@Test
	void linkFailureIsErrorCode101() {
		this.links.failNextCreate("network namespace /run/netns/c1 does not exist");
		HttpResponse response = this.cni.add(call("1.0.0", "c1", ""));
		assertThat(json(response).path("code").asInt()).isEqualTo(ExpectedCniCodes.LINK_SETUP);
		assertThat(json(response).path("details").asText()).contains("does not exist");
	}

	@Test
	void addForAPodNotEnforcedWithinTheSyncTimeoutIsTryAgainLaterAndLeaksNothing() throws Exception {
		PersistentPodIps ips = new PersistentPodIps("10.21.0.0/24", this.stateDir.resolve("timeout-ips"));
		RecordingEndpointDatapath datapath = new RecordingEndpointDatapath();
		FlakyIdentityResolver identities = new FlakyIdentityResolver(0);
		identities.down = true;
		InMemoryPodMetadata pods = new InMemoryPodMetadata();
		pods.put("default", "web", "k8s:app=web");
		try (EndpointManager endpoints = new EndpointManager(this.links, ips, identities, datapath, pods, List.of(),
				new EndpointLifecycleSettings(Duration.ofMillis(200), Duration.ofMillis(20), Duration.ofMillis(200), 2,
						this.stateDir.resolve("timeout-endpoints")))) {
			CniService cni = new CniService(endpoints, this.links);
			HttpRequest add = call("1.0.0", "c1", "IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=web");

			HttpResponse response = cni.add(add);

			assertThat(response.status()).isEqualTo(500);
			JsonNode error = json(response);
			assertThat(error.path("code").asInt()).as("CNI spec: try again later")
				.isEqualTo(ExpectedCniCodes.TRY_AGAIN_LATER);
			assertThat(error.path("details").asText()).contains("not ready after 200 ms")
				.contains("waiting-for-identity")
				.contains("traffic dropped (init identity)");
			assertThat(datapath.guarded).as("held at init while ADD waited").hasSize(1);
			assertThat(datapath.removed).as("its programs removed again").hasSize(1);
			assertThat(endpoints.list()).as("no endpoint left").isEmpty();
			assertThat(this.links.size()).as("no veth left").isZero();
			assertThat(ips.allocations()).as("no address left").isEmpty();
			try (var files = Files.list(this.stateDir.resolve("timeout-endpoints"))) {
				assertThat(files.filter((file) -> file.toString().endsWith(".json"))).as("no state file left")
					.isEmpty();
			}
			assertThat(identities.released).as("init is never released").isEmpty();
			assertThat(cni.del(add).status()).as("the runtime's DEL after the failure").isEqualTo(200);

			identities.down = false;
			Eventually.await("ADD retried until the pod is enforced", Duration.ofSeconds(30),
					() -> cni.add(add).status() == 200);
			assertThat(endpoints.list()).singleElement()
				.satisfies((status) -> assertThat(status.state()).isEqualTo("ready"));
		}
	}

	@Test
	void addWithoutADatapathFailsSayingNothingWouldEnforcePolicy() {
		EndpointManager endpoints = new EndpointManager(this.links,
				new PersistentPodIps("10.22.0.0/24", this.stateDir.resolve("none-ips")), new InitIdentityResolver(),
				new NoEndpointDatapath());
		try (endpoints) {
			HttpResponse response = new CniService(endpoints, this.links).add(call("1.0.0", "c1", ""));
			assertThat(response.status()).isEqualTo(500);
			assertThat(json(response).path("code").asInt()).isEqualTo(ExpectedCniCodes.ENDPOINT_NOT_READY);
			assertThat(json(response).path("details").asText())
				.contains("no datapath: jcilium.datapath.enabled=false, nothing enforces policy for this pod");
			assertThat(endpoints.list()).isEmpty();
			assertThat(this.links.size()).isZero();
		}
	}

	@Test
	void delSucceedsWithoutStateAndTwice() {
		assertThat(this.cni.del(call("1.0.0", "never-added", "")).status()).isEqualTo(200);
		this.cni.add(call("1.0.0", "c1", ""));
		assertThat(this.cni.del(call("1.0.0", "c1", "")).status()).isEqualTo(200);
		assertThat(this.links.size()).isZero();
		assertThat(this.cni.del(call("1.0.0", "c1", "")).status()).isEqualTo(200);
	}

	@Test
	void checkPassesForAReadyEndpointAndFailsOtherwise() {
		assertThat(json(this.cni.check(call("1.0.0", "c1", ""))).path("code").asInt())
			.isEqualTo(ExpectedCniCodes.CHECK);
		this.cni.add(call("1.0.0", "c1", ""));
		assertThat(this.cni.check(call("1.0.0", "c1", "")).status()).isEqualTo(200);
		this.links.deletePodLink(EndpointManager.hostIfName("c1", "eth0"));
		assertThat(json(this.cni.check(call("1.0.0", "c1", ""))).path("details").asText()).contains("missing");
	}

	private static HttpRequest call(String version, String containerId, String args) {
		Map<String, String> headers = headers(containerId);
		headers.put("x-cni-args", args);
		String config = "{\"cniVersion\":\"" + version + "\",\"name\":\"jcilium\",\"type\":\"jcilium-cni\"}";
		return new HttpRequest("PUT", "/v1/cni/add", headers, config.getBytes(StandardCharsets.UTF_8));
	}

	private static Map<String, String> headers(String containerId) {
		Map<String, String> headers = new HashMap<>();
		headers.put("x-cni-containerid", containerId);
		headers.put("x-cni-netns", "/run/netns/" + containerId);
		headers.put("x-cni-ifname", "eth0");
		return headers;
	}

	private static JsonNode json(HttpResponse response) {
		try {
			return Json.MAPPER.readTree(response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
