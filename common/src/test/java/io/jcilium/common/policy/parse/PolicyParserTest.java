package io.jcilium.common.policy.parse;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.jcilium.common.policy.model.Direction;
import io.jcilium.common.policy.model.Peer;
import io.jcilium.common.policy.model.PeerRule;
import io.jcilium.common.policy.model.PolicyRule;
import io.jcilium.common.policy.parse.PolicyParser.PolicyObject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyParserTest {

	private final PolicyParser parser = new PolicyParser();

	@Test
	void parsesACiliumNetworkPolicyIntoRules() {
		List<PolicyObject> objects = this.parser.parse("""
				apiVersion: cilium.io/v2
				kind: CiliumNetworkPolicy
				metadata: {name: web, namespace: shop}
				spec:
				  endpointSelector: {matchLabels: {app: web}}
				  ingress:
				    - fromEndpoints: [{matchLabels: {app: lb}}]
				      toPorts: [{ports: [{port: "8080", protocol: TCP}]}]
				""");
		assertThat(objects).hasSize(1);
		PolicyObject object = objects.get(0);
		assertThat(object.key()).isEqualTo("CiliumNetworkPolicy/shop/web");
		PolicyRule rule = object.rules().get(0);
		assertThat(rule.subject()).hasToString("{any:app in (web), k8s:io.kubernetes.pod.namespace in (shop)}");
		assertThat(rule.defaultDenyIngress()).isTrue();
		assertThat(rule.defaultDenyEgress()).isFalse();
		PeerRule peerRule = rule.rules().get(0);
		assertThat(peerRule.direction()).isEqualTo(Direction.INGRESS);
		assertThat(peerRule.peers()).containsExactly(new Peer.Endpoints(rule.subject()
			.all()
			.and(io.jcilium.common.selector.Requirement.of("app", "In", List.of("lb")))
			.and(io.jcilium.common.selector.Requirement.of("k8s:io.kubernetes.pod.namespace", "In", List.of("shop")))));
		assertThat(peerRule.ports()).hasToString("[8080/TCP]");
	}

	@Test
	void parsesSpecsListsMultipleDocumentsAndLists() {
		List<PolicyObject> objects = this.parser.parse("""
				apiVersion: cilium.io/v2
				kind: CiliumClusterwideNetworkPolicy
				metadata: {name: two}
				specs:
				  - endpointSelector: {}
				    egress: [{toEntities: [world]}]
				  - endpointSelector: {}
				    ingress: [{fromEntities: [cluster]}]
				---
				apiVersion: v1
				kind: List
				items:
				  - apiVersion: networking.k8s.io/v1
				    kind: NetworkPolicy
				    metadata: {name: np}
				    spec: {podSelector: {}}
				""");
		assertThat(objects).extracting(PolicyObject::key)
			.containsExactly("CiliumClusterwideNetworkPolicy//two", "NetworkPolicy/default/np");
		assertThat(objects.get(0).rules()).hasSize(2);
		assertThat(objects.get(0).rules().get(1).source()).hasToString("CiliumClusterwideNetworkPolicy two[1]");
	}

	@Test
	void errorsNameTheFieldPath() {
		assertRejected("""
				apiVersion: cilium.io/v2
				kind: CiliumNetworkPolicy
				metadata: {name: p, namespace: x}
				spec:
				  endpointSelector: {}
				  ingress:
				    - fromEntities: [moon]
				""", "CiliumNetworkPolicy x/p (document 1): spec.ingress[0].fromEntities[0]", "unknown entity 'moon'");
		assertRejected("""
				apiVersion: cilium.io/v2
				kind: CiliumNetworkPolicy
				metadata: {name: p, namespace: x}
				spec:
				  endpointSelector: {}
				  egress:
				    - toCIDR: [10.0.0.0/33]
				""", "spec.egress[0].toCIDR[0]", "prefix length '33'");
		assertRejected("""
				apiVersion: cilium.io/v2
				kind: CiliumNetworkPolicy
				metadata: {name: p, namespace: x}
				spec:
				  endpointSelector: {}
				  ingress:
				    - toPorts: [{ports: [{port: "70000"}]}]
				""", "spec.ingress[0].toPorts[0].ports[0].port", "port 70000 is out of range");
		assertRejected("""
				apiVersion: networking.k8s.io/v1
				kind: NetworkPolicy
				metadata: {name: p, namespace: x}
				spec:
				  podSelector: {}
				  ingress:
				    - ports: [{port: 90, endPort: 80}]
				""", "spec.ingress[0].ports[0].endPort", "endPort 80 is smaller than port 90");
		assertRejected("""
				apiVersion: networking.k8s.io/v1
				kind: NetworkPolicy
				metadata: {name: p, namespace: x}
				spec:
				  podSelector:
				    matchExpressions: [{key: app, operator: Equals, values: [a]}]
				""", "spec.podSelector.matchExpressions[0]", "invalid selector operator 'Equals'");
		assertRejected("""
				apiVersion: networking.k8s.io/v1
				kind: NetworkPolicy
				metadata: {name: p, namespace: x}
				spec:
				  podSelector: {}
				  ingress:
				    - from:
				        - ipBlock: {cidr: 10.0.0.0/8, except: [11.0.0.0/16]}
				""", "spec.ingress[0].from[0].ipBlock.except", "except 11.0.0.0/16 is not inside 10.0.0.0/8");
		assertRejected("""
				apiVersion: networking.k8s.io/v1
				kind: NetworkPolicy
				metadata: {name: p, namespace: x}
				spec:
				  podSelector: {}
				  policyTypes: [Sideways]
				""", "spec.policyTypes[0]", "unknown policy type 'Sideways'");
		assertRejected("""
				apiVersion: cilium.io/v2
				kind: CiliumNetworkPolicy
				metadata: {name: p, namespace: x}
				spec:
				  endpointSelector: {}
				  ingress:
				    - toPorts: [{ports: [{port: "80", protocol: ICMP}]}]
				""", "spec.ingress[0].toPorts[0].ports[0].protocol", "unsupported protocol 'ICMP'");
		assertRejected("""
				apiVersion: cilium.io/v2
				kind: CiliumNetworkPolicy
				metadata: {name: p, namespace: x}
				spec:
				  endpointSelector: {}
				  ingressDeny:
				    - toPorts: [{ports: [{port: "80"}], rules: {http: [{method: GET}]}}]
				""", "spec.ingressDeny[0].toPorts[0].rules", "deny rules cannot have L7 rules");
	}

	@Test
	void rejectsWrongKindsAndShapes() {
		assertRejected("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n", "kind", "unsupported kind 'Pod'");
		assertRejected("apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p}\n", "",
				"needs 'spec' or 'specs'");
		assertRejected("apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p}\nspec: {}\n",
				"spec.endpointSelector", "is required");
		assertRejected("""
				apiVersion: cilium.io/v2
				kind: CiliumNetworkPolicy
				metadata: {name: p}
				spec:
				  endpointSelector: {}
				  ingress: {fromEntities: [world]}
				""", "spec.ingress", "expected a list");
		assertRejected("key: [unclosed", "(yaml)", "not valid YAML");
	}

	@Test
	void aBadDocumentRejectsTheWholeInput() {
		assertThatThrownBy(() -> this.parser.parse("""
				apiVersion: networking.k8s.io/v1
				kind: NetworkPolicy
				metadata: {name: good}
				spec: {podSelector: {}}
				---
				apiVersion: networking.k8s.io/v1
				kind: NetworkPolicy
				metadata: {name: bad}
				spec: {podSelector: {matchLabels: {"bad key": x}}}
				""")).isInstanceOf(PolicyParseException.class)
			.hasMessageContaining("NetworkPolicy default/bad (document 2)");
	}

	private void assertRejected(String yaml, String path, String problem) {
		assertThatThrownBy(() -> this.parser.parse(yaml)).isInstanceOf(PolicyParseException.class)
			.hasMessageContaining(path)
			.hasMessageContaining(problem);
	}

}
