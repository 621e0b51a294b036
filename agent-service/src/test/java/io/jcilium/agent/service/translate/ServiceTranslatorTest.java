package io.jcilium.agent.service.translate;

import java.util.Arrays;
import java.util.List;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.jcilium.common.net.IpAddress;
import io.jcilium.common.net.Protocol;
import org.junit.jupiter.api.Test;

import io.jcilium.agent.service.lb.FrontendKey;
import io.jcilium.agent.service.lb.FrontendKind;
import io.jcilium.agent.service.lb.L4Address;
import io.jcilium.agent.service.lb.LbFrontend;
import io.jcilium.agent.service.lb.Scope;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceTranslatorTest {

	private static final KubernetesSerialization YAML = new KubernetesSerialization();

	private static final NodeView NODE = new NodeView("node-1",
			List.of(IpAddress.parseLiteral("192.168.1.10"), IpAddress.parseLiteral("fd00:192::10")));

	private static final String WEB = """
			apiVersion: v1
			kind: Service
			metadata: {name: web, namespace: default}
			spec:
			  type: ClusterIP
			  clusterIP: 10.96.0.10
			  clusterIPs: [10.96.0.10]
			  sessionAffinity: ClientIP
			  sessionAffinityConfig: {clientIP: {timeoutSeconds: 60}}
			  ports:
			  - {name: http, port: 80, targetPort: http, protocol: TCP, appProtocol: http}
			  - {name: dns, port: 53, targetPort: 5353, protocol: UDP}
			""";

	private static final String WEB_SLICES = """
			apiVersion: discovery.k8s.io/v1
			kind: EndpointSlice
			metadata: {name: web-a, namespace: default, labels: {kubernetes.io/service-name: web}}
			addressType: IPv4
			ports:
			- {name: http, port: 8080, protocol: TCP}
			- {name: dns, port: 5353, protocol: UDP}
			endpoints:
			- {addresses: [10.0.1.1], nodeName: node-1, conditions: {ready: true}}
			- {addresses: [10.0.1.2], nodeName: node-2}
			- {addresses: [10.0.1.3], nodeName: node-1, conditions: {ready: false, serving: true, terminating: true}}
			- {addresses: [10.0.1.5], nodeName: node-1, conditions: {ready: false}}
			---
			apiVersion: discovery.k8s.io/v1
			kind: EndpointSlice
			metadata: {name: web-b, namespace: default, labels: {kubernetes.io/service-name: web}}
			addressType: IPv4
			ports:
			- {name: http, port: 8081, protocol: TCP}
			endpoints:
			- {addresses: [10.0.1.4], nodeName: node-2, conditions: {ready: true}}
			""";

	@Test
	void eachPortGetsItsBackendsWithTheNamedTargetPortResolvedPerSlice() {
		Translation translation = translate(WEB, WEB_SLICES);
		assertThat(translation.problems()).isEmpty();
		assertThat(backends(translation, "10.96.0.10", 80, Protocol.TCP)).containsExactly(
				L4Address.of("10.0.1.1", 8080, Protocol.TCP), L4Address.of("10.0.1.2", 8080, Protocol.TCP),
				L4Address.of("10.0.1.4", 8081, Protocol.TCP));
		assertThat(backends(translation, "10.96.0.10", 53, Protocol.UDP)).containsExactly(
				L4Address.of("10.0.1.1", 5353, Protocol.UDP), L4Address.of("10.0.1.2", 5353, Protocol.UDP));
	}

	@Test
	void clientIpAffinityCarriesItsTimeout() {
		LbFrontend http = frontend(translate(WEB, WEB_SLICES), "10.96.0.10", 80, Protocol.TCP, Scope.EXTERNAL);
		assertThat(http.flags() & FrontendKind.AFFINITY).isNotZero();
		assertThat(http.affinityTimeoutSeconds()).isEqualTo(60);
		assertThat(http.kind()).isEqualTo(FrontendKind.CLUSTER_IP);
	}

	@Test
	void terminatingEndpointsServeOnlyWhenNoneIsReady() {
		String slices = """
				apiVersion: discovery.k8s.io/v1
				kind: EndpointSlice
				metadata: {name: web-a, namespace: default, labels: {kubernetes.io/service-name: web}}
				addressType: IPv4
				ports: [{name: http, port: 8080, protocol: TCP}]
				endpoints:
				- {addresses: [10.0.1.3], conditions: {ready: false, serving: true, terminating: true}}
				- {addresses: [10.0.1.6], conditions: {ready: false, serving: false, terminating: true}}
				""";
		assertThat(backends(translate(WEB, slices), "10.96.0.10", 80, Protocol.TCP))
			.containsExactly(L4Address.of("10.0.1.3", 8080, Protocol.TCP));
	}

	@Test
	void internalTrafficPolicyLocalKeepsThisNodesBackendsOnly() {
		String service = WEB.replace("sessionAffinity: ClientIP", "internalTrafficPolicy: Local");
		assertThat(backends(translate(service, WEB_SLICES), "10.96.0.10", 80, Protocol.TCP))
			.containsExactly(L4Address.of("10.0.1.1", 8080, Protocol.TCP));
	}

	@Test
	void nodePortsOpenOnEveryNodeAddressOfTheServicesFamily() {
		String service = """
				apiVersion: v1
				kind: Service
				metadata: {name: web, namespace: default}
				spec:
				  type: NodePort
				  clusterIPs: [10.96.0.10]
				  ports: [{name: http, port: 80, nodePort: 30080, protocol: TCP}]
				""";
		Translation translation = translate(service, WEB_SLICES);
		assertThat(translation.frontends()).extracting((f) -> f.key().toString())
			.containsExactly("10.96.0.10:80/TCP", "192.168.1.10:30080/TCP");
		assertThat(frontend(translation, "192.168.1.10", 30080, Protocol.TCP, Scope.EXTERNAL).kind())
			.isEqualTo(FrontendKind.NODE_PORT);
	}

	@Test
	void externalTrafficPolicyLocalSplitsExternalFrontendsIntoTwoScopes() {
		String service = """
				apiVersion: v1
				kind: Service
				metadata: {name: web, namespace: default}
				spec:
				  type: LoadBalancer
				  clusterIPs: [10.96.0.10]
				  externalTrafficPolicy: Local
				  externalIPs: [172.16.0.7, not-an-ip]
				  ports: [{name: http, port: 80, nodePort: 30080, protocol: TCP}]
				status:
				  loadBalancer: {ingress: [{ip: 172.16.0.100}]}
				""";
		Translation translation = translate(service, WEB_SLICES);
		assertThat(translation.problems()).containsExactly("externalIPs: 'not-an-ip' is not an IP address, skipped");
		for (String external : List.of("192.168.1.10", "172.16.0.7", "172.16.0.100")) {
			int port = external.startsWith("192.") ? 30080 : 80;
			LbFrontend outside = frontend(translation, external, port, Protocol.TCP, Scope.EXTERNAL);
			assertThat(outside.flags() & FrontendKind.TWO_SCOPES).isNotZero();
			assertThat(outside.backends()).containsExactly(L4Address.of("10.0.1.1", 8080, Protocol.TCP));
			assertThat(frontend(translation, external, port, Protocol.TCP, Scope.INTERNAL).backends()).hasSize(3);
		}
		assertThat(frontend(translation, "172.16.0.100", 80, Protocol.TCP, Scope.EXTERNAL).kind())
			.isEqualTo(FrontendKind.LOAD_BALANCER);
		assertThat(frontend(translation, "10.96.0.10", 80, Protocol.TCP, Scope.EXTERNAL).backends()).hasSize(3);
	}

	@Test
	void dualStackServicesGetOneFrontendPerFamilyWithThatFamilysBackends() {
		String service = """
				apiVersion: v1
				kind: Service
				metadata: {name: web, namespace: default}
				spec:
				  clusterIPs: [10.96.0.10, "fd00:96::10"]
				  ports: [{name: http, port: 80, protocol: TCP}]
				""";
		String slices = WEB_SLICES + """
				---
				apiVersion: discovery.k8s.io/v1
				kind: EndpointSlice
				metadata: {name: web-v6, namespace: default, labels: {kubernetes.io/service-name: web}}
				addressType: IPv6
				ports: [{name: http, port: 8080, protocol: TCP}]
				endpoints:
				- {addresses: ["fd00:1::1"], conditions: {ready: true}}
				""";
		Translation translation = translate(service, slices);
		assertThat(backends(translation, "fd00:96::10", 80, Protocol.TCP))
			.containsExactly(L4Address.of("fd00:1::1", 8080, Protocol.TCP));
		assertThat(backends(translation, "10.96.0.10", 80, Protocol.TCP)).hasSize(3);
	}

	@Test
	void headlessAndExternalNameServicesAreNotLoadBalanced() {
		assertThat(translate(WEB.replace("clusterIP: 10.96.0.10\n  clusterIPs: [10.96.0.10]", "clusterIP: None"),
				WEB_SLICES)
			.frontends()).isEmpty();
		assertThat(translate(WEB.replace("type: ClusterIP", "type: ExternalName"), WEB_SLICES).frontends()).isEmpty();
	}

	@Test
	void aServiceWithoutEndpointsHasFrontendsWithNoBackends() {
		Translation translation = translate(WEB, "");
		assertThat(translation.frontends()).hasSize(2).allMatch((f) -> f.backends().isEmpty());
	}

	static Translation translate(String service, String slices) {
		List<EndpointSlice> parsed = Arrays.stream(slices.split("(?m)^---$"))
			.filter((doc) -> !doc.isBlank())
			.map((doc) -> YAML.unmarshal(doc, EndpointSlice.class))
			.toList();
		return ServiceTranslator.translate(YAML.unmarshal(service, Service.class), parsed, NODE);
	}

	static LbFrontend frontend(Translation translation, String address, int port, Protocol protocol, Scope scope) {
		FrontendKey key = new FrontendKey(L4Address.of(address, port, protocol), scope);
		return translation.frontends()
			.stream()
			.filter((f) -> f.key().equals(key))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no frontend " + key + " in " + translation.frontends()));
	}

	static List<L4Address> backends(Translation translation, String address, int port, Protocol protocol) {
		return frontend(translation, address, port, protocol, Scope.EXTERNAL).backends();
	}

}
