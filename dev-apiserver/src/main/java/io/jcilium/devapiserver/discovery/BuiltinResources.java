package io.jcilium.devapiserver.discovery;

import java.util.List;

/**
 * The built-in resources this stand-in announces: what kubectl, the operator and the
 * agent use. The CRUD store accepts any path; discovery only decides what kubectl can
 * name.
 */
final class BuiltinResources {

	static final List<ApiResource> ALL = List.of(core("namespaces", "Namespace", false, true, "ns"),
			core("pods", "Pod", true, true, "po"), core("services", "Service", true, true, "svc"),
			core("endpoints", "Endpoints", true, false, "ep"), core("nodes", "Node", false, true, "no"),
			core("configmaps", "ConfigMap", true, false, "cm"), core("secrets", "Secret", true, false),
			core("serviceaccounts", "ServiceAccount", true, false, "sa"), core("events", "Event", true, false, "ev"),
			resource("apps", "v1", "deployments", "Deployment", true, true, "deploy"),
			resource("apps", "v1", "daemonsets", "DaemonSet", true, true, "ds"),
			resource("apps", "v1", "statefulsets", "StatefulSet", true, true, "sts"),
			resource("apps", "v1", "replicasets", "ReplicaSet", true, true, "rs"),
			resource("coordination.k8s.io", "v1", "leases", "Lease", true, false),
			resource("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", true, false),
			resource("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", true, true, "netpol"),
			resource("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false, true,
					"crd", "crds"));

	private BuiltinResources() {
	}

	private static ApiResource core(String name, String kind, boolean namespaced, boolean hasStatus,
			String... shortNames) {
		return resource("", "v1", name, kind, namespaced, hasStatus, shortNames);
	}

	private static ApiResource resource(String group, String version, String name, String kind, boolean namespaced,
			boolean hasStatus, String... shortNames) {
		return new ApiResource(group, version, name, kind.toLowerCase(java.util.Locale.ROOT), kind, namespaced,
				List.of(shortNames), hasStatus);
	}

}
