package io.jcilium.helm;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.jcilium.helm.ChartSettingsTest.flatten;
import static io.jcilium.helm.YamlPath.at;
import static io.jcilium.helm.YamlPath.list;
import static io.jcilium.helm.YamlPath.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Values named and shaped like upstream's chart reach the property of the service that
 * acts on them, a property that service really reads; values upstream has but jcilium
 * cannot honour fail the install naming what to set instead.
 */
class UpstreamValuesTest {

	@ParameterizedTest(name = "{0}={1} sets {3} of {2} to {4}")
	@CsvSource({ "routingMode, native, agent, jcilium.agent.routing.mode, native",
			"routingMode, tunnel, agent, jcilium.agent.routing.mode, tunnel",
			"autoDirectNodeRoutes, true, agent, jcilium.agent.routing.auto-direct-node-routes, true",
			"tunnelPort, 8473, agent, jcilium.agent.routing.tunnel-port, 8473",
			"kubeProxyReplacement, false, agent, jcilium.service.socket-lb, false",
			"kubeProxyReplacement, true, agent, jcilium.service.socket-lb, true",
			"policyEnforcementMode, always, agent, jcilium.agent.policy.enforcement-mode, always",
			"policyEnforcementMode, never, agent, jcilium.agent.policy.enforcement-mode, never",
			"l2announcements.enabled, true, agent, jcilium.agent.l2-announcements.enabled, true",
			"l2announcements.enabled, false, agent, jcilium.agent.l2-announcements.enabled, false",
			"ipam.mode, multi-pool, operator, jcilium.operator.multi-pool.enabled, true",
			"ipam.mode, cluster-pool, operator, jcilium.operator.multi-pool.enabled, false",
			"ipam.mode, multi-pool, operator, jcilium.operator.node.ipam-mode, multi-pool",
			"ipam.mode, cluster-pool, operator, jcilium.operator.node.ipam-mode, cluster-pool",
			"ipam.mode, multi-pool, ipam, jcilium.ipam.mode, multi-pool",
			"ipam.mode, multi-pool, agent, jcilium.agent.ipam.mode, multi-pool",
			"bgpControlPlane.enabled, true, operator, jcilium.operator.bgp.enabled, true",
			"bgpControlPlane.enabled, false, operator, jcilium.operator.bgp.enabled, false" })
	void anUpstreamValueSetsThePropertyItsServiceReads(String value, String setting, String service, String property,
			String expected) {
		RenderedChart chart = RenderedChart.render(Map.of(value, setting));

		Map<String, Object> settings = flatten(ServiceConfig.of(chart, service));
		assertThat(settings).containsKey(property);
		assertThat(String.valueOf(settings.get(property))).isEqualTo(expected);
		assertThat(ServiceProperties.of(service + "-service").reads(property))
			.as("%s-service reads %s", service, property)
			.isTrue();
	}

	@Test
	void hubbleOffTurnsTheAgentsObserverOffAndTheRelayNeedsIt() {
		RenderedChart chart = RenderedChart.render(Map.of("hubble.enabled", false, "hubble.relay.enabled", false));
		assertThat(flatten(ServiceConfig.of(chart, "agent"))).containsEntry("jcilium.agent.hubble.enabled", false);
		assertThat(chart.ofService("relay")).isEmpty();
		assertThatIllegalStateException().isThrownBy(() -> RenderedChart.render(Map.of("hubble.enabled", false)))
			.withMessageContaining("hubble.relay.enabled=true needs hubble.enabled=true");
	}

	@Test
	void defaultsAreUpstreamsWhereJciliumCanHonourThem() {
		Map<String, Object> agent = flatten(ServiceConfig.of(RenderedChart.renderDefaults(), "agent"));
		assertThat(agent).containsEntry("jcilium.agent.routing.mode", "tunnel")
			.containsEntry("jcilium.agent.policy.enforcement-mode", "default")
			.containsEntry("jcilium.agent.hubble.enabled", true)
			.containsEntry("jcilium.agent.l2-announcements.enabled", false)
			.containsEntry("jcilium.agent.l2-announcements.lease-namespace", RenderedChart.NAMESPACE)
			.doesNotContainKey("jcilium.agent.routing.tunnel-port");
		RenderedChart chart = RenderedChart.renderDefaults();
		assertThat(chart.ofService("bgp")).as("bgpControlPlane.enabled is off by default").isEmpty();
		assertThat(chart.ofService("relay")).as("hubble.relay.enabled").isNotEmpty();
	}

	@Test
	void theServicesOwnConfigStillWinsOverTheUpstreamShapedOne() {
		RenderedChart chart = RenderedChart
			.render(Map.of("routingMode", "tunnel", "agent.config.jcilium.agent.routing.mode", "native"));
		assertThat(at(ServiceConfig.cluster(chart, "agent"), "jcilium.agent.routing.mode")).isEqualTo("tunnel");
		assertThat(at(ServiceConfig.of(chart, "agent"), "jcilium.agent.routing.mode")).isEqualTo("native");
		for (String service : List.of("agent", "operator", "identity", "ipam", "relay")) {
			Map<String, Object> workload = chart.ofService(service)
				.stream()
				.filter((object) -> List.of("Deployment", "DaemonSet").contains(object.get("kind")))
				.findFirst()
				.orElseThrow();
			Map<String, Object> container = list(workload, "spec.template.spec.containers").get(0);
			// Spring: of two additional locations, the later one wins.
			assertThat(named(list(container, "env"), "SPRING_CONFIG_ADDITIONAL_LOCATION").get("value"))
				.isEqualTo("optional:file:/etc/jcilium/cluster/,optional:file:/etc/jcilium/");
			Map<String, Object> config = named(list(workload, "spec.template.spec.volumes"), "config");
			List<Map<String, Object>> sources = list(config, "projected.sources");
			assertThat(at(sources.get(1), "configMap.name")).isEqualTo("jcilium-config");
			assertThat(list(sources.get(1), "configMap.items"))
				.contains(Map.of("key", service + ".yaml", "path", "cluster/application.yaml"));
		}
	}

	@ParameterizedTest(name = "{0}={1} fails the install")
	@CsvSource(delimiter = '|',
			value = { "routingMode|geneve|routingMode=geneve: must be tunnel or native",
					"tunnelProtocol|geneve|jcilium's datapath encapsulates in VXLAN only",
					"identityAllocationMode|crd|upstream's kvstore mode",
					"ipam.mode|kubernetes|ipam.mode=kubernetes: must be cluster-pool or multi-pool",
					"policyEnforcementMode|strict|must be default, always or never",
					"kubeProxyReplacement|strict|kubeProxyReplacement=strict: must be true or false",
					"bgp.enabled|true|bgp.enabled is now bgpControlPlane.enabled",
					"relay.enabled|true|relay.enabled is now hubble.relay.enabled",
					"operator.multiPool.enabled|true|set ipam.mode=multi-pool",
					"agent.datapath.enabled|false|routingMode=tunnel needs agent.datapath.enabled=true" })
	void aValueJciliumCannotHonourFailsTheInstallSayingWhatToSet(String value, String setting, String message) {
		assertThatIllegalStateException().isThrownBy(() -> RenderedChart.render(Map.of(value, setting)))
			.withMessageContaining(message);
	}

}
