package io.jcilium.helm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Every setting the chart renders into a service's application.yaml is one the service
 * reads: a misspelt or renamed property would otherwise be ignored without a word, and
 * the service would run on its default (as ipam-service did on 10.0.0.0/8 whatever
 * {@code clusterPool.podCIDRs} said).
 */
class ChartSettingsTest {

	private static RenderedChart chart;

	@BeforeAll
	static void render() {
		chart = RenderedChart.render(Map.of("bgpControlPlane.enabled", true));
	}

	@ParameterizedTest(name = "every setting rendered for {0} is a property {1} reads")
	@CsvSource({ "agent, agent-service", "operator, operator-service", "identity, identity-service",
			"ipam, ipam-service", "bgp, bgp-service", "relay, relay-service" })
	void everyRenderedSettingIsReadByItsService(String service, String module) {
		ServiceProperties properties = ServiceProperties.of(module);
		Map<String, Object> rendered = flatten(ServiceConfig.of(chart, service));
		assertThat(rendered).isNotEmpty();

		List<String> unread = new ArrayList<>();
		rendered.forEach((property, value) -> {
			if (!properties.reads(property)) {
				unread.add(property + "=" + value);
			}
		});
		assertThat(unread).as("settings in %s's ConfigMaps that %s does not read", service, module).isEmpty();
	}

	@Test
	void theClusterPoolValuesReachTheSettingsIpamServiceReads() {
		RenderedChart custom = RenderedChart.render(Map.of("ipam.operator.clusterPoolIPv4PodCIDRList[0]",
				"10.244.0.0/16", "ipam.operator.clusterPoolIPv4MaskSize", 26,
				"ipam.operator.clusterPoolIPv6PodCIDRList[0]", "fd00:10::/104"));
		Map<String, Object> settings = flatten(ServiceConfig.of(custom, "ipam"));
		assertThat(settings).containsEntry("jcilium.ipam.cluster-pool.ipv4-cidrs", List.of("10.244.0.0/16"))
			.containsEntry("jcilium.ipam.cluster-pool.ipv4-mask-size", 26)
			.containsEntry("jcilium.ipam.cluster-pool.ipv6-cidrs", List.of("fd00:10::/104"))
			.containsEntry("jcilium.ipam.cluster-pool.ipv6-mask-size", 120);
	}

	@Test
	void bgpRunsFromTheApiServerAsItsNodeAndLearnsServicesFromTheLocalAgent() {
		Map<String, Object> settings = flatten(ServiceConfig.of(chart, "bgp"));
		assertThat(settings).containsEntry("bgp.api-server-enabled", true)
			.containsEntry("bgp.node-name", "${NODE_NAME}")
			.containsEntry("bgp.agent-address", "127.0.0.1:4244");
		RenderedChart custom = RenderedChart.render(Map.of("bgpControlPlane.enabled", true, "bgp.agentGrpcPort", 5244));
		assertThat(flatten(ServiceConfig.of(custom, "bgp"))).containsEntry("bgp.agent-address", "127.0.0.1:5244");
		RenderedChart explicit = RenderedChart
			.render(Map.of("bgpControlPlane.enabled", true, "bgp.agentAddress", "dns:///agent:4244"));
		assertThat(flatten(ServiceConfig.of(explicit, "bgp"))).containsEntry("bgp.agent-address", "dns:///agent:4244");
	}

	@Test
	void theOldClusterPoolValuesFailTheInstallInsteadOfBeingIgnored() {
		for (String old : new String[] { "ipam.clusterPool.podCIDRs[0]", "ipam.clusterPool.ipv4PodCIDRList[0]" }) {
			assertThatIllegalStateException().isThrownBy(() -> RenderedChart.render(Map.of(old, "10.244.0.0/16")))
				.withMessageContaining("set upstream's ipam.operator.clusterPoolIPv4PodCIDRList");
		}
	}

	/** Dotted property names; a list is one property's value, as Spring binds it. */
	@SuppressWarnings("unchecked")
	static Map<String, Object> flatten(Map<String, Object> yaml) {
		Map<String, Object> flat = new TreeMap<>();
		yaml.forEach((key, value) -> {
			if (value instanceof Map<?, ?> nested) {
				flatten((Map<String, Object>) nested).forEach((child, leaf) -> flat.put(key + "." + child, leaf));
			}
			else {
				flat.put(key, value);
			}
		});
		return flat;
	}

}
