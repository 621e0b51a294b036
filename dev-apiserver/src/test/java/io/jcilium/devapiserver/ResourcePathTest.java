package io.jcilium.devapiserver;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResourcePathTest {

	@Test
	void namespacedCustomResourceWithSubresource() {
		ResourcePath path = ResourcePath.parse("/apis/cilium.io/v2/namespaces/demo/ciliumnetworkpolicies/rule1/status");
		assertThat(path)
			.isEqualTo(new ResourcePath("cilium.io", "v2", "demo", "ciliumnetworkpolicies", "rule1", "status"));
		assertThat(path.objectPath()).isEqualTo("/apis/cilium.io/v2/namespaces/demo/ciliumnetworkpolicies/rule1");
		assertThat(path.collectionPath()).isEqualTo("/apis/cilium.io/v2/namespaces/demo/ciliumnetworkpolicies");
	}

	@Test
	void namespaceObjectsAreClusterScoped() {
		assertThat(ResourcePath.parse("/api/v1/namespaces/demo"))
			.isEqualTo(new ResourcePath("", "v1", null, "namespaces", "demo", null));
		assertThat(ResourcePath.parse("/api/v1/namespaces/demo/status"))
			.isEqualTo(new ResourcePath("", "v1", null, "namespaces", "demo", "status"));
		assertThat(ResourcePath.parse("/api/v1/namespaces/demo/pods"))
			.isEqualTo(new ResourcePath("", "v1", "demo", "pods", null, null));
	}

	@Test
	void discoveryPathsNameNoResource() {
		assertThat(ResourcePath.parse("/api/v1")).isNull();
		assertThat(ResourcePath.parse("/apis/cilium.io/v2")).isNull();
		assertThat(ResourcePath.parse("/version")).isNull();
	}

}
