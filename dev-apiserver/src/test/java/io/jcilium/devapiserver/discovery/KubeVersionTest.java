package io.jcilium.devapiserver.discovery;

import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KubeVersionTest {

	@Test
	void ordersAsKubernetesPrefersVersions() {
		List<String> sorted = List.of("v2alpha1", "v1beta1", "v1", "foo", "v2", "v2beta1", "v1alpha2")
			.stream()
			.sorted(Comparator.comparing(KubeVersion::parse))
			.toList();
		assertThat(sorted).containsExactly("v2", "v1", "v2beta1", "v1beta1", "v2alpha1", "v1alpha2", "foo");
	}

}
