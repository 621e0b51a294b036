package io.jcilium.helm;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.jcilium.helm.YamlPath.at;
import static io.jcilium.helm.YamlPath.list;
import static io.jcilium.helm.YamlPath.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each service account may do, read the way the API server's RBAC authorizer would.
 */
class RbacTest {

	private static final List<String> READ = List.of("get", "list", "watch");

	private static RenderedChart chart;

	@BeforeAll
	static void render() {
		chart = RenderedChart.render(Map.of("bgpControlPlane.enabled", true));
	}

	@Test
	void agentWatchesWhatItsDatapathIsComputedFrom() {
		Rules agent = Rules.of(chart.get("ClusterRole", "jcilium-agent"));

		for (String resource : List.of("pods", "namespaces", "nodes", "services")) {
			agent.assertAllows("", resource, READ);
		}
		agent.assertAllows("discovery.k8s.io", "endpointslices", READ);
		agent.assertAllows("networking.k8s.io", "networkpolicies", READ);
		for (String resource : List.of("ciliumnetworkpolicies", "ciliumclusterwidenetworkpolicies", "ciliumnodes",
				"ciliumendpoints")) {
			agent.assertAllows("cilium.io", resource, READ);
		}
	}

	@Test
	void agentWritesItsEndpointsButNoKubernetesObjects() {
		Rules agent = Rules.of(chart.get("ClusterRole", "jcilium-agent"));

		agent.assertAllows("cilium.io", "ciliumendpoints", List.of("create", "update", "patch", "delete"));
		agent.assertDenies("", "pods", "delete");
		agent.assertDenies("", "nodes", "update");
		agent.assertDenies("networking.k8s.io", "networkpolicies", "create");
	}

	@Test
	void operatorManagesCiliumNodesAndCrdsAndHoldsItsLeaderLease() {
		Rules operator = Rules.of(chart.get("ClusterRole", "jcilium-operator"));
		operator.assertAllows("", "nodes", READ);
		operator.assertAllows("cilium.io", "ciliumnodes",
				List.of("create", "get", "list", "watch", "update", "delete"));
		operator.assertAllows("apiextensions.k8s.io", "customresourcedefinitions", List.of("create", "get", "update"));
		operator.assertAllows("cilium.io", "ciliumidentities", List.of("list", "delete"));

		Map<String, Object> leaderRole = chart.get("Role", "jcilium-operator-leader-election");
		assertThat(at(leaderRole, "metadata.namespace")).isEqualTo(RenderedChart.NAMESPACE);
		Rules.of(leaderRole).assertAllows("coordination.k8s.io", "leases", List.of("create", "get", "update"));
	}

	@Test
	void bgpWritesOnlyNodeConfigStatusAndLeasesInTheReleaseNamespace() {
		Rules bgp = Rules.of(chart.get("ClusterRole", "jcilium-bgp"));
		bgp.assertAllows("cilium.io", "ciliumbgppeeringpolicies", READ);
		bgp.assertAllows("cilium.io", "ciliuml2announcementpolicies", READ);
		bgp.assertAllows("cilium.io", "ciliumpodippools", READ);
		bgp.assertDenies("coordination.k8s.io", "leases", "create");
		bgp.assertAllows("cilium.io", "ciliumbgpnodeconfigs/status", List.of("update"));
		bgp.assertDenies("cilium.io", "ciliumbgpnodeconfigs", "update");

		Rules.of(chart.get("Role", "jcilium-bgp-l2-leases"))
			.assertAllows("coordination.k8s.io", "leases", List.of("create", "get", "update"));
	}

	@Test
	void everyRoleIsBoundToTheServiceAccountItsPodsRunAs() {
		assertBound("ClusterRoleBinding", "jcilium-agent", "ClusterRole", chart.get("DaemonSet", "jcilium-agent"));
		assertBound("ClusterRoleBinding", "jcilium-bgp", "ClusterRole", chart.get("DaemonSet", "jcilium-bgp"));
		assertBound("RoleBinding", "jcilium-bgp-l2-leases", "Role", chart.get("DaemonSet", "jcilium-bgp"));
		assertBound("ClusterRoleBinding", "jcilium-operator", "ClusterRole",
				chart.get("Deployment", "jcilium-operator"));
		assertBound("RoleBinding", "jcilium-operator-leader-election", "Role",
				chart.get("Deployment", "jcilium-operator"));
	}

	private static void assertBound(String bindingKind, String name, String roleKind, Map<String, Object> workload) {
		Map<String, Object> binding = chart.get(bindingKind, name);
		assertThat(map(binding, "roleRef")).containsEntry("kind", roleKind).containsEntry("name", name);
		chart.get(roleKind, name);
		String serviceAccount = (String) at(workload, "spec.template.spec.serviceAccountName");
		chart.get("ServiceAccount", serviceAccount);
		assertThat(list(binding, "subjects"))
			.contains(Map.of("kind", "ServiceAccount", "name", serviceAccount, "namespace", RenderedChart.NAMESPACE));
	}

	/**
	 * The rules of a Role or ClusterRole; a request is allowed if any one rule covers it.
	 */
	record Rules(List<Map<String, Object>> rules) {

		static Rules of(Map<String, Object> role) {
			return new Rules(list(role, "rules"));
		}

		boolean allows(String apiGroup, String resource, String verb) {
			return this.rules.stream()
				.anyMatch((rule) -> covers(rule, "apiGroups", apiGroup) && covers(rule, "resources", resource)
						&& covers(rule, "verbs", verb));
		}

		void assertAllows(String apiGroup, String resource, List<String> verbs) {
			for (String verb : verbs) {
				assertThat(allows(apiGroup, resource, verb)).as("%s %s.%s allowed", verb, resource, apiGroup).isTrue();
			}
		}

		void assertDenies(String apiGroup, String resource, String verb) {
			assertThat(allows(apiGroup, resource, verb)).as("%s %s.%s denied", verb, resource, apiGroup).isFalse();
		}

		private static boolean covers(Map<String, Object> rule, String field, String value) {
			List<String> values = YamlPath.strings(rule, field);
			return values != null && (values.contains(value) || values.contains("*"));
		}

	}

}
