package io.jcilium.ipam.multipool;

import java.util.Map;

import io.jcilium.ipam.block.Family;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PodPoolSelectorTest {

	@Test
	void podAnnotationWinsOverNamespaceAnnotation() {
		assertThat(PodPoolSelector.select(Family.IPV4, Map.of("ipam.cilium.io/ip-pool", "blue"),
				Map.of("ipam.cilium.io/ip-pool", "green")))
			.isEqualTo("blue");
	}

	@Test
	void namespaceAnnotationAppliesWhenThePodHasNone() {
		assertThat(PodPoolSelector.select(Family.IPV6, Map.of("app", "web"), Map.of("ipam.cilium.io/ip-pool", "green")))
			.isEqualTo("green");
	}

	@Test
	void fallsBackToDefault() {
		assertThat(PodPoolSelector.select(Family.IPV4, null, Map.of())).isEqualTo("default");
		assertThat(PodPoolSelector.select(Family.IPV4, Map.of("ipam.cilium.io/ip-pool", " "), null))
			.isEqualTo("default");
	}

	@Test
	void perFamilyAnnotationWinsForItsFamilyOnly() {
		Map<String, String> pod = Map.of("ipam.cilium.io/ip-pool", "blue", "ipam.cilium.io/ipv6-pool", "v6-only");
		assertThat(PodPoolSelector.select(Family.IPV6, pod, null)).isEqualTo("v6-only");
		assertThat(PodPoolSelector.select(Family.IPV4, pod, null)).isEqualTo("blue");
	}

}
