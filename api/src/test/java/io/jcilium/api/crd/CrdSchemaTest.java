package io.jcilium.api.crd;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.jcilium.api.crd.v2.CiliumBGPAdvertisement;
import io.jcilium.api.crd.v2.CiliumBGPClusterConfig;
import io.jcilium.api.crd.v2.CiliumBGPNodeConfig;
import io.jcilium.api.crd.v2.CiliumBGPNodeConfigOverride;
import io.jcilium.api.crd.v2.CiliumBGPPeerConfig;
import io.jcilium.api.crd.v2.CiliumClusterwideNetworkPolicy;
import io.jcilium.api.crd.v2.CiliumEndpoint;
import io.jcilium.api.crd.v2.CiliumIdentity;
import io.jcilium.api.crd.v2.CiliumNetworkPolicy;
import io.jcilium.api.crd.v2.CiliumNode;
import io.jcilium.api.crd.v2alpha1.CiliumBGPPeeringPolicy;
import io.jcilium.api.crd.v2alpha1.CiliumL2AnnouncementPolicy;
import io.jcilium.api.crd.v2alpha1.CiliumPodIPPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The CRDs the build generated accept manifests written the way upstream documents them,
 * and reject misspelled fields, as an API server with strict field validation would; the
 * model classes read the same manifests without unknown fields.
 */
class CrdSchemaTest {

	private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

	private static final List<String> KINDS = List.of("ciliumnetworkpolicies", "ciliumclusterwidenetworkpolicies",
			"ciliumnodes", "ciliumendpoints", "ciliumidentities", "ciliumpodippools", "ciliumloadbalancerippools",
			"ciliumbgppeeringpolicies", "ciliuml2announcementpolicies", "ciliumbgpclusterconfigs",
			"ciliumbgppeerconfigs", "ciliumbgpadvertisements", "ciliumbgpnodeconfigoverrides", "ciliumbgpnodeconfigs");

	@Test
	void everyKindHasAGeneratedCrdWithUpstreamNamesAndScope() throws IOException {
		for (String plural : KINDS) {
			CustomResourceDefinition crd = crd(plural);
			assertThat(crd.getSpec().getGroup()).isEqualTo("cilium.io");
			assertThat(crd.getSpec().getNames().getPlural()).isEqualTo(plural);
		}
		assertThat(crd("ciliumnetworkpolicies").getSpec().getScope()).isEqualTo("Namespaced");
		assertThat(crd("ciliumendpoints").getSpec().getScope()).isEqualTo("Namespaced");
		assertThat(crd("ciliumnodes").getSpec().getScope()).isEqualTo("Cluster");
		assertThat(crd("ciliumnetworkpolicies").getSpec().getNames().getShortNames()).contains("cnp");
		assertThat(crd("ciliumbgpnodeconfigs").getSpec().getScope()).isEqualTo("Cluster");
		assertThat(crd("ciliumbgpclusterconfigs").getSpec().getNames().getShortNames()).containsExactly("cbgpcluster");
		assertThat(crd("ciliumbgpnodeconfigs").getSpec().getVersions().get(0).getSubresources().getStatus())
			.isNotNull();
		assertThat(crd("ciliumloadbalancerippools").getSpec().getVersions())
			.extracting(CustomResourceDefinitionVersion::getName, CustomResourceDefinitionVersion::getStorage)
			.containsExactlyInAnyOrder(tuple("v2", true), tuple("v2alpha1", false));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("examples")
	void upstreamShapedManifestsValidate(String name, JsonNode manifest) throws IOException {
		assertThat(SchemaValidator.validate(manifest, schemaFor(manifest))).isEmpty();
	}

	@Test
	void misspelledAndMistypedFieldsAreRejected() throws IOException {
		JsonNode manifest = YAML.readTree("""
				apiVersion: cilium.io/v2
				kind: CiliumNetworkPolicy
				metadata: {name: typo}
				spec:
				  endpointSelectr: {}
				  ingress:
				  - toPorts:
				    - ports:
				      - port: 80
				        protocol: TCP
				""");
		assertThat(SchemaValidator.validate(manifest, schemaFor(manifest))).containsExactlyInAnyOrder(
				".spec.endpointSelectr: unknown field", ".spec.ingress[0].toPorts[0].ports[0].port: must be a string");
	}

	@Test
	void bgpPeerConfigWithTheOlderPolicysFieldNamesIsRejected() throws IOException {
		JsonNode manifest = YAML.readTree("""
				apiVersion: cilium.io/v2
				kind: CiliumBGPPeerConfig
				metadata: {name: old-names}
				spec:
				  eBGPMultihopTTL: 4
				  timers: {holdTimeSeconds: "90"}
				""");
		assertThat(SchemaValidator.validate(manifest, schemaFor(manifest))).containsExactlyInAnyOrder(
				".spec.eBGPMultihopTTL: unknown field", ".spec.timers.holdTimeSeconds: must be an integer");
	}

	@Test
	void modelClassesReadTheManifestsWithoutUnknownFields() throws IOException {
		ObjectMapper strict = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
		for (JsonNode manifest : manifests()) {
			Class<?> type = switch (manifest.get("kind").asText() + "/" + manifest.get("apiVersion").asText()) {
				case "CiliumNetworkPolicy/cilium.io/v2" -> CiliumNetworkPolicy.class;
				case "CiliumClusterwideNetworkPolicy/cilium.io/v2" -> CiliumClusterwideNetworkPolicy.class;
				case "CiliumNode/cilium.io/v2" -> CiliumNode.class;
				case "CiliumEndpoint/cilium.io/v2" -> CiliumEndpoint.class;
				case "CiliumIdentity/cilium.io/v2" -> CiliumIdentity.class;
				case "CiliumLoadBalancerIPPool/cilium.io/v2" -> io.jcilium.api.crd.v2.CiliumLoadBalancerIPPool.class;
				case "CiliumLoadBalancerIPPool/cilium.io/v2alpha1" ->
					io.jcilium.api.crd.v2alpha1.CiliumLoadBalancerIPPool.class;
				case "CiliumPodIPPool/cilium.io/v2alpha1" -> CiliumPodIPPool.class;
				case "CiliumBGPPeeringPolicy/cilium.io/v2alpha1" -> CiliumBGPPeeringPolicy.class;
				case "CiliumL2AnnouncementPolicy/cilium.io/v2alpha1" -> CiliumL2AnnouncementPolicy.class;
				case "CiliumBGPClusterConfig/cilium.io/v2" -> CiliumBGPClusterConfig.class;
				case "CiliumBGPPeerConfig/cilium.io/v2" -> CiliumBGPPeerConfig.class;
				case "CiliumBGPAdvertisement/cilium.io/v2" -> CiliumBGPAdvertisement.class;
				case "CiliumBGPNodeConfigOverride/cilium.io/v2" -> CiliumBGPNodeConfigOverride.class;
				case "CiliumBGPNodeConfig/cilium.io/v2" -> CiliumBGPNodeConfig.class;
				default -> throw new IllegalStateException("no model class for " + manifest.get("kind"));
			};
			Object resource = strict.treeToValue(manifest, type);
			assertThat(strict.valueToTree(resource).get("metadata").get("name"))
				.isEqualTo(manifest.at("/metadata/name"));
		}
	}

	static Stream<Object[]> examples() throws IOException {
		return manifests().stream()
			.map((manifest) -> new Object[] {
					manifest.get("kind").asText() + " " + manifest.at("/metadata/name").asText(), manifest });
	}

	private static List<JsonNode> manifests() throws IOException {
		List<JsonNode> manifests = new ArrayList<>();
		for (String file : List.of("policies.yaml", "networking.yaml", "bgp.yaml")) {
			try (InputStream in = resource("/crd-examples/" + file)) {
				YAML.readValues(YAML.getFactory().createParser(in), JsonNode.class).forEachRemaining(manifests::add);
			}
		}
		return manifests;
	}

	private static JSONSchemaProps schemaFor(JsonNode manifest) throws IOException {
		String kind = manifest.get("kind").asText();
		String version = manifest.get("apiVersion").asText().substring("cilium.io/".length());
		String singular = kind.toLowerCase();
		// Exact plural: CiliumBGPNodeConfig is a prefix of CiliumBGPNodeConfigOverride.
		String plural = KINDS.stream()
			.filter((candidate) -> candidate.equals(singular + "s")
					|| candidate.equals(singular.replaceAll("y$", "") + "ies"))
			.findFirst()
			.orElseThrow();
		return crd(plural).getSpec()
			.getVersions()
			.stream()
			.filter((candidate) -> candidate.getName().equals(version))
			.findFirst()
			.orElseThrow(() -> new AssertionError(kind + " has no version " + version))
			.getSchema()
			.getOpenAPIV3Schema();
	}

	private static CustomResourceDefinition crd(String plural) throws IOException {
		try (InputStream in = resource("/META-INF/fabric8/" + plural + ".cilium.io-v1.yml")) {
			return YAML.readValue(in, CustomResourceDefinition.class);
		}
	}

	private static InputStream resource(String path) {
		return Objects.requireNonNull(CrdSchemaTest.class.getResourceAsStream(path), path + " not on the classpath");
	}

}
