package io.jcilium.agent.service.healthcheck;

import java.util.Arrays;
import java.util.List;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which services have a health-check node port, and the count each node answers with:
 * ready endpoints on this node, each address once.
 */
class HealthCheckTest {

	private static final KubernetesSerialization YAML = new KubernetesSerialization();

	private static final String LOCAL_LB = """
			apiVersion: v1
			kind: Service
			metadata: {name: web, namespace: shop}
			spec:
			  type: LoadBalancer
			  externalTrafficPolicy: Local
			  healthCheckNodePort: 32100
			  clusterIP: 10.96.0.20
			  ports:
			  - {name: http, port: 80, targetPort: 8080, nodePort: 30080}
			  - {name: https, port: 443, targetPort: 8443, nodePort: 30443}
			""";

	private static final String SLICES = """
			apiVersion: discovery.k8s.io/v1
			kind: EndpointSlice
			metadata: {name: web-a, namespace: shop, labels: {kubernetes.io/service-name: web}}
			addressType: IPv4
			ports:
			- {name: http, port: 8080}
			- {name: https, port: 8443}
			endpoints:
			- {addresses: [10.0.1.1], nodeName: node-1, conditions: {ready: true}}
			- {addresses: [10.0.1.2], nodeName: node-1}
			- {addresses: [10.0.1.3], nodeName: node-1, conditions: {ready: false, serving: true, terminating: true}}
			- {addresses: [10.0.2.1], nodeName: node-2, conditions: {ready: true}}
			---
			apiVersion: discovery.k8s.io/v1
			kind: EndpointSlice
			metadata: {name: web-b, namespace: shop, labels: {kubernetes.io/service-name: web}}
			addressType: IPv4
			ports:
			- {name: http, port: 8080}
			endpoints:
			- {addresses: [10.0.1.1], nodeName: node-1, conditions: {ready: true}}
			""";

	@Test
	void aLocalLoadBalancerServiceAnswersWithItsReadyBackendsOnThisNode() {
		assertThat(HealthCheck.of(service(LOCAL_LB), slices(SLICES), "node-1")).as("10.0.1.1 once, 10.0.1.2")
			.isEqualTo(new HealthCheck(32100, 2));
		assertThat(HealthCheck.of(service(LOCAL_LB), slices(SLICES), "node-2")).isEqualTo(new HealthCheck(32100, 1));
		assertThat(HealthCheck.of(service(LOCAL_LB), slices(SLICES), "node-3")).as("no backend here: 0, not absent")
			.isEqualTo(new HealthCheck(32100, 0));
		assertThat(HealthCheck.of(service(LOCAL_LB), List.of(), "node-1")).isEqualTo(new HealthCheck(32100, 0));
	}

	@Test
	void otherServicesHaveNone() {
		assertThat(HealthCheck.of(
				service(LOCAL_LB.replace("externalTrafficPolicy: Local", "externalTrafficPolicy: Cluster")),
				slices(SLICES), "node-1"))
			.isNull();
		assertThat(HealthCheck.of(service(LOCAL_LB.replace("type: LoadBalancer", "type: NodePort")), slices(SLICES),
				"node-1"))
			.isNull();
		assertThat(HealthCheck.of(service(LOCAL_LB.replace("  healthCheckNodePort: 32100\n", "")), slices(SLICES),
				"node-1"))
			.isNull();
	}

	private static Service service(String yaml) {
		return YAML.unmarshal(yaml, Service.class);
	}

	private static List<EndpointSlice> slices(String yaml) {
		return Arrays.stream(yaml.split("(?m)^---$")).map((doc) -> YAML.unmarshal(doc, EndpointSlice.class)).toList();
	}

}
