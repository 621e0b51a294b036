package io.jcilium.helm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

	/**
	 * Settings rendered ahead of the code that will read them, each with its reason. The
	 * test fails once the service reads one, so the list never outlives its reason.
	 */
	private static final Map<String, Set<String>> PLANNED = Map.of("bgp",
			// L2 announcements: the chart's README says nothing reads them yet.
			Set.of("jcilium.bgp.l2-announcements.lease-namespace",
					"jcilium.bgp.l2-announcements.lease-duration-seconds"));

	private static RenderedChart chart;

	@BeforeAll
	static void render() {
		chart = RenderedChart.render(Map.of("bgp.enabled", true));
	}

	@ParameterizedTest(name = "every setting rendered for {0} is a property {1} reads")
	@CsvSource({ "agent, agent-service", "operator, operator-service", "identity, identity-service",
			"ipam, ipam-service", "bgp, bgp-service", "relay, relay-service" })
	void everyRenderedSettingIsReadByItsService(String service, String module) {
		ServiceProperties properties = ServiceProperties.of(module);
		Map<String, Object> rendered = flatten(ServiceConfig.of(chart, service));
		assertThat(rendered).isNotEmpty();

		Set<String> planned = PLANNED.getOrDefault(service, Set.of());
		List<String> unread = new ArrayList<>();
		rendered.forEach((property, value) -> {
			if (!properties.reads(property) && !planned.contains(property)) {
				unread.add(property + "=" + value);
			}
		});
		assertThat(unread).as("settings in %s's ConfigMap that %s does not read", service, module).isEmpty();
		assertThat(planned).as("planned settings %s reads by now: drop them from PLANNED", module)
			.noneMatch(properties::reads)
			.allMatch(rendered::containsKey);
	}

	@Test
	void theClusterPoolValuesReachTheSettingsIpamServiceReads() {
		RenderedChart custom = RenderedChart.render(Map.of("ipam.clusterPool.ipv4PodCIDRList[0]", "10.244.0.0/16",
				"ipam.clusterPool.ipv4MaskSize", 26, "ipam.clusterPool.ipv6PodCIDRList[0]", "fd00:10::/104"));
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
		RenderedChart custom = RenderedChart.render(Map.of("bgp.enabled", true, "bgp.agentGrpcPort", 5244));
		assertThat(flatten(ServiceConfig.of(custom, "bgp"))).containsEntry("bgp.agent-address", "127.0.0.1:5244");
		RenderedChart explicit = RenderedChart
			.render(Map.of("bgp.enabled", true, "bgp.agentAddress", "dns:///agent:4244"));
		assertThat(flatten(ServiceConfig.of(explicit, "bgp"))).containsEntry("bgp.agent-address", "dns:///agent:4244");
	}

	@Test
	void theOldClusterPoolValuesFailTheInstallInsteadOfBeingIgnored() {
		assertThatIllegalStateException()
			.isThrownBy(() -> RenderedChart.render(Map.of("ipam.clusterPool.podCIDRs[0]", "10.244.0.0/16")))
			.withMessageContaining("set ipam.clusterPool.ipv4PodCIDRList and ipv4MaskSize instead");
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
