package io.jcilium.helm;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.jcilium.helm.YamlPath.list;
import static io.jcilium.helm.YamlPath.strings;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Kubernetes API call the agent and the operator make, as read from their code and
 * written down here verb by verb (fabric8: an informer lists and watches, {@code get()}
 * gets, {@code create()}/{@code update()}/{@code delete()} are those verbs,
 * {@code updateStatus()} is update on the status subresource, {@code patch(...)} is
 * patch), checked against the rendered ClusterRoles the way the authorizer checks them.
 */
class RbacFromCodeTest {

	/**
	 * Every call of the agent: io.jcilium.agent.k8s, the L2 announcements and the
	 * identity-cardinality Events.
	 */
	private static final List<Call> AGENT_CALLS = List.of(
			// ClusterInformers: this node's pods, all namespaces, this node.
			new Call("", "pods", "list", "watch"), new Call("", "namespaces", "list", "watch"),
			new Call("", "nodes", "list", "watch"), new Call("networking.k8s.io", "networkpolicies", "list", "watch"),
			new Call("cilium.io", "ciliumnodes", "list", "watch"),
			new Call("cilium.io", "ciliumendpoints", "list", "watch"),
			new Call("cilium.io", "ciliumnetworkpolicies", "list", "watch"),
			new Call("cilium.io", "ciliumclusterwidenetworkpolicies", "list", "watch"),
			// CiliumEndpointWriter: get, then create or update; updateStatus; delete.
			new Call("cilium.io", "ciliumendpoints", "get", "create", "update", "delete"),
			new Call("cilium.io", "ciliumendpoints/status", "update"),
			// PolicyStatusWriter: get, then updateStatus with the Valid condition.
			new Call("cilium.io", "ciliumnetworkpolicies", "get"),
			new Call("cilium.io", "ciliumclusterwidenetworkpolicies", "get"),
			new Call("cilium.io", "ciliumnetworkpolicies/status", "update"),
			new Call("cilium.io", "ciliumclusterwidenetworkpolicies/status", "update"),
			// L2 announcements: the policies' informer, and a Lease per announced service
			// (get, create when missing, update to take, renew or release; list and watch
			// to see every renewal as it happens).
			new Call("cilium.io", "ciliuml2announcementpolicies", "list", "watch"),
			new Call("coordination.k8s.io", "leases", "get", "list", "watch", "create", "update"),
			// CardinalityEvents: a Warning Event per label that makes identities
			// multiply, created unless another agent has.
			new Call("", "events", "get", "create"),
			// MultiPoolNode: a merge patch of its CiliumNode's spec.ipam.pools.
			new Call("cilium.io", "ciliumnodes", "patch"),
			// NodeCertificateRequester (per-node certificates, the default with TLS):
			// creates its node's request, then gets it until signed.
			new Call("certificates.k8s.io", "certificatesigningrequests", "create", "get"));

	/**
	 * Granted to the agent beyond its calls, each for a stated reason: get beside list
	 * and watch, patch beside update (as upstream's agent role), and the reads of the
	 * Spring Cloud Kubernetes discovery starter on its classpath.
	 */
	private static final List<Call> AGENT_EXTRAS = List.of(new Call("", "pods", "get"),
			new Call("", "namespaces", "get"), new Call("", "nodes", "get"),
			new Call("networking.k8s.io", "networkpolicies", "get"), new Call("cilium.io", "ciliumnodes", "get"),
			new Call("cilium.io", "ciliumendpoints", "patch"), new Call("cilium.io", "ciliumendpoints/status", "patch"),
			new Call("cilium.io", "ciliumnetworkpolicies/status", "patch"),
			new Call("cilium.io", "ciliumclusterwidenetworkpolicies/status", "patch"),
			new Call("", "services", "get", "list", "watch"), new Call("", "endpoints", "get", "list", "watch"),
			new Call("discovery.k8s.io", "endpointslices", "get", "list", "watch"),
			new Call("cilium.io", "ciliuml2announcementpolicies", "get"));

	/** io.jcilium.operator.*: the controllers' watches and the reconcilers' writes. */
	private static final List<Call> OPERATOR_CALLS = List.of(
			// NodeController, IdentityGcController watch Nodes; NodeReconciler.isGone
			// gets one.
			new Call("", "nodes", "list", "watch", "get"),
			// EndpointGcController watches Pods; EndpointGarbageCollector gets one.
			new Call("", "pods", "list", "watch", "get"),
			// LbIpamController watches Services; LbIpamReconciler updateStatus.
			new Call("", "services", "list", "watch"), new Call("", "services/status", "update"),
			// PoolEvents records Warning events on rejected pools.
			new Call("", "events", "create"),
			// CrdRegistrar: get, then create or update.
			new Call("apiextensions.k8s.io", "customresourcedefinitions", "get", "create", "update"),
			// NodeController watches; NodeReconciler creates, updates, deletes;
			// MultiPoolReconciler merge-patches the pool blocks.
			new Call("cilium.io", "ciliumnodes", "list", "watch", "create", "update", "delete", "patch"),
			// EndpointGcController, IdentityGcController watch; EndpointGarbageCollector
			// deletes.
			new Call("cilium.io", "ciliumendpoints", "list", "watch", "delete"),
			// MultiPoolController watches CiliumPodIPPools.
			new Call("cilium.io", "ciliumpodippools", "list", "watch"),
			// LbIpamController watches pools; LbIpamReconciler updateStatus.
			new Call("cilium.io", "ciliumloadbalancerippools", "list", "watch"),
			new Call("cilium.io", "ciliumloadbalancerippools/status", "update"),
			// NodeCertificateController watches the requests, gets one after approving
			// it, approves or denies (approval subresource) and signs (status).
			new Call("certificates.k8s.io", "certificatesigningrequests", "list", "watch", "get"),
			new Call("certificates.k8s.io", "certificatesigningrequests/approval", "update"),
			new Call("certificates.k8s.io", "certificatesigningrequests/status", "update"));

	/**
	 * LeaseElection: fabric8's LeaderElector on a LeaseLock reads, creates and renews it.
	 */
	private static final Call OPERATOR_LEASE = new Call("coordination.k8s.io", "leases", "get", "create", "update");

	private static RenderedChart chart;

	@BeforeAll
	static void render() {
		chart = RenderedChart.renderDefaults();
	}

	@Test
	void agentMayMakeEveryCallItsCodeMakes() {
		RbacTest.Rules agent = RbacTest.Rules.of(chart.get("ClusterRole", "jcilium-agent"));

		for (Call call : AGENT_CALLS) {
			agent.assertAllows(call.apiGroup(), call.resource(), call.verbs());
		}
	}

	@Test
	void agentMayDoNothingElse() {
		Set<String> granted = granted(chart.get("ClusterRole", "jcilium-agent"));
		Set<String> expected = new LinkedHashSet<>();
		AGENT_CALLS.forEach((call) -> expected.addAll(call.keys()));
		AGENT_EXTRAS.forEach((call) -> expected.addAll(call.keys()));

		assertThat(granted).as("no wildcard").noneMatch((key) -> key.contains("*"));
		assertThat(granted).containsExactlyInAnyOrderElementsOf(expected);
	}

	@Test
	void agentWritesNoCiliumNodeAndNoIdentity() {
		RbacTest.Rules agent = RbacTest.Rules.of(chart.get("ClusterRole", "jcilium-agent"));

		for (String verb : List.of("create", "update", "patch", "delete")) {
			if (!"patch".equals(verb)) {
				// Multi-pool IPAM patches its own CiliumNode's pool requests; the
				// operator
				// alone creates, replaces and deletes them.
				agent.assertDenies("cilium.io", "ciliumnodes", verb);
			}
			agent.assertDenies("cilium.io", "ciliumidentities", verb);
			agent.assertDenies("cilium.io", "ciliumnetworkpolicies", verb);
		}
	}

	@Test
	void operatorMayMakeEveryCallItsCodeMakes() {
		RbacTest.Rules operator = RbacTest.Rules.of(chart.get("ClusterRole", "jcilium-operator"));

		for (Call call : OPERATOR_CALLS) {
			operator.assertAllows(call.apiGroup(), call.resource(), call.verbs());
		}
		RbacTest.Rules.of(chart.get("Role", "jcilium-operator-leader-election"))
			.assertAllows(OPERATOR_LEASE.apiGroup(), OPERATOR_LEASE.resource(), OPERATOR_LEASE.verbs());
	}

	@Test
	void operatorApprovesAndSignsForItsOwnSignerOnlyAndReadsOnlyTheCaSecret() {
		Map<String, Object> signers = list(chart.get("ClusterRole", "jcilium-operator"), "rules").stream()
			.filter((rule) -> strings(rule, "resources").contains("signers"))
			.findFirst()
			.orElseThrow();
		assertThat(strings(signers, "apiGroups")).containsExactly("certificates.k8s.io");
		assertThat(strings(signers, "resourceNames")).containsExactly("jcilium.io/node-client");
		assertThat(strings(signers, "verbs")).containsExactlyInAnyOrder("approve", "sign");

		Map<String, Object> caRole = chart.get("Role", "jcilium-operator-ca");
		assertThat(list(caRole, "rules")).singleElement().satisfies((rule) -> {
			assertThat(strings(rule, "resources")).containsExactly("secrets");
			assertThat(strings(rule, "resourceNames")).containsExactly("jcilium-ca");
			assertThat(strings(rule, "verbs")).containsExactly("get");
		});
		assertThat(YamlPath.at(caRole, "metadata.namespace")).isEqualTo(YamlPath.at(ServiceConfig.of(chart, "operator"),
				"jcilium.operator.node-certificates.ca-secret-namespace"));
		RbacTest.Rules.of(chart.get("ClusterRole", "jcilium-operator")).assertDenies("", "secrets", "get");
	}

	@Test
	void operatorElectsItsLeaderOnTheLeaseItsRoleCovers() {
		Map<String, Object> config = ServiceConfig.of(chart, "operator");
		Map<String, Object> role = chart.get("Role", "jcilium-operator-leader-election");

		assertThat(YamlPath.at(config, "jcilium.operator.election.namespace"))
			.isEqualTo(YamlPath.at(role, "metadata.namespace"));
		assertThat(YamlPath.at(config, "jcilium.operator.election.lease-name")).isEqualTo("jcilium-operator");
		assertThat(YamlPath.at(config, "jcilium.operator.election.retry-period-millis")).isEqualTo(2000);
	}

	/** Every group/resource/verb a role's rules grant, as "group resource verb". */
	private static Set<String> granted(Map<String, Object> role) {
		Set<String> granted = new LinkedHashSet<>();
		for (Map<String, Object> rule : list(role, "rules")) {
			for (String group : strings(rule, "apiGroups")) {
				for (String resource : strings(rule, "resources")) {
					new Call(group, resource, strings(rule, "verbs").toArray(String[]::new)).keys()
						.forEach(granted::add);
				}
			}
		}
		return granted;
	}

	record Call(String apiGroup, String resource, List<String> verbs) {

		Call(String apiGroup, String resource, String... verbs) {
			this(apiGroup, resource, List.of(verbs));
		}

		List<String> keys() {
			List<String> keys = new ArrayList<>();
			this.verbs.forEach((verb) -> keys.add(this.apiGroup + " " + this.resource + " " + verb));
			return keys;
		}

	}

}
