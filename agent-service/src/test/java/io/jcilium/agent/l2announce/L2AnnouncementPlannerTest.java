package io.jcilium.agent.l2announce;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.jcilium.api.crd.v2alpha1.CiliumL2AnnouncementPolicy;
import io.jcilium.common.net.IpAddress;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upstream's selection rules on real policy and Service YAML: node and service selectors,
 * the two address kinds, interface expressions matched anywhere in the name,
 * {@code loadBalancerClass}, policies adding up, and a malformed policy reported while
 * the others stay in force.
 */
class L2AnnouncementPlannerTest {

	private static final KubernetesSerialization YAML = new KubernetesSerialization();

	private static final List<String> DEVICES = List.of("eth0", "eth1", "ens3");

	private static final Map<String, String> EDGE_NODE = Map.of("role", "edge");

	private static final Service WEB = service("""
			apiVersion: v1
			kind: Service
			metadata: {name: web, namespace: shop, labels: {app: web}}
			spec:
			  type: LoadBalancer
			  externalIPs: [198.51.100.7]
			  ports: [{port: 80}]
			status:
			  loadBalancer: {ingress: [{ip: 192.0.2.100}, {ip: "2001:db8::100"}]}
			""");

	private static final Service OTHER_CLASS = service("""
			apiVersion: v1
			kind: Service
			metadata: {name: metal, namespace: shop, labels: {app: web}}
			spec:
			  type: LoadBalancer
			  loadBalancerClass: metallb.io/metallb
			  ports: [{port: 80}]
			status:
			  loadBalancer: {ingress: [{ip: 192.0.2.101}]}
			""");

	@Test
	void aMatchingPolicyAnnouncesTheLoadBalancerAddressesOnTheDevicesItsExpressionsMatch() {
		L2Plan plan = plan(EDGE_NODE, List.of(WEB), policy("""
				metadata: {name: edge}
				spec:
				  nodeSelector: {matchLabels: {role: edge}}
				  serviceSelector: {matchLabels: {app: web}}
				  interfaces: ["^eth[0-9]+"]
				  loadBalancerIPs: true
				"""));

		assertThat(plan.errors()).isEmpty();
		assertThat(plan.services()).containsOnlyKeys(new AnnouncedService("shop", "web"));
		L2Plan.Announcement web = plan.services().get(new AnnouncedService("shop", "web"));
		assertThat(web.addresses()).containsExactlyInAnyOrder(ip("192.0.2.100"), ip("2001:db8::100"));
		assertThat(web.devices()).containsExactlyInAnyOrder("eth0", "eth1");
		assertThat(new AnnouncedService("shop", "web").leaseName()).isEqualTo("cilium-l2announce-shop-web");
	}

	@Test
	void externalIpsOnlyWhenAskedAndNoListedInterfaceMeansEveryDevice() {
		L2Plan plan = plan(EDGE_NODE, List.of(WEB), policy("""
				metadata: {name: external}
				spec:
				  externalIPs: true
				"""));

		L2Plan.Announcement web = plan.services().get(new AnnouncedService("shop", "web"));
		assertThat(web.addresses()).containsExactly(ip("198.51.100.7"));
		assertThat(web.devices()).containsExactlyInAnyOrderElementsOf(DEVICES);
	}

	@Test
	void aPolicyForOtherNodesOrWithNoMatchingDeviceOrNoAddressKindAnnouncesNothing() {
		assertThat(plan(Map.of("role", "core"), List.of(WEB), policy("""
				metadata: {name: edge-only}
				spec:
				  nodeSelector: {matchLabels: {role: edge}}
				  loadBalancerIPs: true
				""")).services()).isEmpty();
		assertThat(plan(EDGE_NODE, List.of(WEB), policy("""
				metadata: {name: bonds}
				spec:
				  interfaces: ["^bond"]
				  loadBalancerIPs: true
				""")).services()).isEmpty();
		assertThat(plan(EDGE_NODE, List.of(WEB), policy("""
				metadata: {name: nothing}
				spec:
				  serviceSelector: {matchLabels: {app: web}}
				""")).services()).isEmpty();
	}

	@Test
	void servicesAreSelectedByTheirNamespaceAndNameLabelsAndOtherClassesAreLeftAlone() {
		L2Plan plan = plan(EDGE_NODE, List.of(WEB, OTHER_CLASS), policy("""
				metadata: {name: by-name}
				spec:
				  serviceSelector:
				    matchExpressions:
				    - {key: io.kubernetes.service.namespace, operator: In, values: [shop]}
				  loadBalancerIPs: true
				"""));

		assertThat(plan.services()).containsOnlyKeys(new AnnouncedService("shop", "web"));
	}

	@Test
	void policiesSelectingOneServiceAddUp() {
		L2Plan plan = plan(EDGE_NODE, List.of(WEB), policy("""
				metadata: {name: lb-on-eth0}
				spec:
				  interfaces: ["eth0"]
				  loadBalancerIPs: true
				"""), policy("""
				metadata: {name: external-on-ens}
				spec:
				  interfaces: ["^ens"]
				  externalIPs: true
				"""));

		L2Plan.Announcement web = plan.services().get(new AnnouncedService("shop", "web"));
		assertThat(web.addresses()).containsExactlyInAnyOrder(ip("192.0.2.100"), ip("2001:db8::100"),
				ip("198.51.100.7"));
		assertThat(web.devices()).containsExactlyInAnyOrder("eth0", "ens3");
		assertThat(plan.entries(Set.of(new AnnouncedService("shop", "web")))).hasSize(6)
			.contains(new ResponderEntry("ens3", ip("192.0.2.100")));
		assertThat(plan.entries(Set.of())).isEmpty();
	}

	@Test
	void aMalformedPolicyIsReportedByNameAndTheOthersStillApply() {
		L2Plan plan = plan(EDGE_NODE, List.of(WEB), policy("""
				metadata: {name: broken}
				spec:
				  interfaces: ["eth[0-"]
				  loadBalancerIPs: true
				"""), policy("""
				metadata: {name: bad-selector}
				spec:
				  nodeSelector:
				    matchExpressions: [{key: role, operator: Near, values: [edge]}]
				  loadBalancerIPs: true
				"""), policy("""
				metadata: {name: fine}
				spec:
				  externalIPs: true
				"""));

		assertThat(plan.errors()).hasSize(2);
		assertThat(plan.errors().get(0)).startsWith("CiliumL2AnnouncementPolicy broken: interfaces: 'eth[0-'");
		assertThat(plan.errors().get(1)).startsWith("CiliumL2AnnouncementPolicy bad-selector: nodeSelector: ");
		assertThat(plan.services().get(new AnnouncedService("shop", "web")).addresses())
			.containsExactly(ip("198.51.100.7"));
	}

	private static L2Plan plan(Map<String, String> nodeLabels, List<Service> services,
			CiliumL2AnnouncementPolicy... policies) {
		return L2AnnouncementPlanner.plan(new L2Inputs(List.of(policies), services, nodeLabels, DEVICES));
	}

	private static CiliumL2AnnouncementPolicy policy(String yaml) {
		return YAML.unmarshal("apiVersion: cilium.io/v2alpha1\nkind: CiliumL2AnnouncementPolicy\n" + yaml,
				CiliumL2AnnouncementPolicy.class);
	}

	private static Service service(String yaml) {
		return YAML.unmarshal(yaml, Service.class);
	}

	private static InetAddress ip(String text) {
		return IpAddress.parseLiteral(text);
	}

}
