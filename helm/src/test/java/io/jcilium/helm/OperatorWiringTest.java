package io.jcilium.helm;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static io.jcilium.helm.YamlPath.at;
import static io.jcilium.helm.YamlPath.list;
import static io.jcilium.helm.YamlPath.named;
import static org.assertj.core.api.Assertions.assertThat;

/** The operator's gRPC targets and controller switches as the chart renders them. */
class OperatorWiringTest {

	@Test
	void grpcAddressesPointAtTheChartsServices() {
		RenderedChart chart = RenderedChart.renderDefaults();
		Map<String, Object> operator = operatorContainer(chart);
		Map<String, Object> config = ServiceConfig.of(chart, "operator");

		// host:port, as the operator's application.yaml prefixes static:// itself.
		assertThat(named(list(operator, "env"), "IPAM_GRPC_ADDRESS").get("value")).isEqualTo("jcilium-ipam:9282");
		assertThat(named(list(operator, "env"), "IDENTITY_GRPC_ADDRESS").get("value"))
			.isEqualTo("jcilium-identity:9281");
		assertThat(at(config, "jcilium.operator.node.ipam-target")).isEqualTo("static://jcilium-ipam:9282");
		assertThat(at(config, "jcilium.operator.multi-pool.ipam-target")).isEqualTo("static://jcilium-ipam:9282");
		assertThat(at(config, "jcilium.operator.identity-gc.identity-target"))
			.isEqualTo("static://jcilium-identity:9281");
	}

	@Test
	void anotherIdentityServiceReplacesTheChartsOneEverywhere() {
		RenderedChart chart = RenderedChart.render(Map.of("global.identity.address", "static://identity.other:19281"));

		assertThat(named(list(operatorContainer(chart), "env"), "IDENTITY_GRPC_ADDRESS").get("value"))
			.isEqualTo("identity.other:19281");
		assertThat(at(ServiceConfig.of(chart, "operator"), "jcilium.operator.identity-gc.identity-target"))
			.isEqualTo("static://identity.other:19281");
		assertThat(at(ServiceConfig.of(chart, "agent"), "jcilium.agent.identity.target"))
			.isEqualTo("static://identity.other:19281");
	}

	@Test
	void everyControllerIsOnByDefault() {
		Map<String, Object> config = ServiceConfig.of(RenderedChart.renderDefaults(), "operator");

		for (String controller : new String[] { "node", "lbipam", "endpoint-gc", "identity-gc" }) {
			assertThat(at(config, "jcilium.operator." + controller + ".enabled")).as(controller).isEqualTo(true);
		}
		// Multi-pool runs in upstream's ipam.mode=multi-pool only; the default is
		// cluster-pool.
		assertThat(at(config, "jcilium.operator.multi-pool.enabled")).isEqualTo(false);
		assertThat(at(config, "jcilium.operator.identity-gc.grace-seconds")).isEqualTo(1800);
	}

	@Test
	void identityGcCanBeSwitchedOffAndMultiPoolOnByIpamMode() {
		RenderedChart chart = RenderedChart
			.render(Map.of("operator.identityGc.enabled", false, "ipam.mode", "multi-pool"));
		Map<String, Object> config = ServiceConfig.of(chart, "operator");

		assertThat(at(config, "jcilium.operator.identity-gc.enabled")).isEqualTo(false);
		assertThat(at(config, "jcilium.operator.multi-pool.enabled")).isEqualTo(true);
		assertThat(at(config, "jcilium.operator.node.enabled")).isEqualTo(true);
	}

	private static Map<String, Object> operatorContainer(RenderedChart chart) {
		return named(list(chart.get("Deployment", "jcilium-operator"), "spec.template.spec.containers"), "operator");
	}

}
