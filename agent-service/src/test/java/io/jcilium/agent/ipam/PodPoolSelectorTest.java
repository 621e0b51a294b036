package io.jcilium.agent.ipam;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PodPoolSelectorTest {

	@Test
	void podAnnotationWinsOverNamespaceAnnotation() {
		assertThat(PodPoolSelector.ipv4Pool(Map.of("ipam.cilium.io/ip-pool", "blue"),
				Map.of("ipam.cilium.io/ip-pool", "green")))
			.isEqualTo("blue");
	}

	@Test
	void namespaceAnnotationAppliesWhenThePodHasNone() {
		assertThat(PodPoolSelector.ipv6Pool(Map.of("app", "web"), Map.of("ipam.cilium.io/ip-pool", "green")))
			.isEqualTo("green");
	}

	@Test
	void fallsBackToDefault() {
		assertThat(PodPoolSelector.ipv4Pool(null, Map.of())).isEqualTo("default");
		assertThat(PodPoolSelector.ipv4Pool(Map.of("ipam.cilium.io/ip-pool", " "), null)).isEqualTo("default");
	}

	@Test
	void perFamilyAnnotationWinsForItsFamilyOnly() {
		Map<String, String> pod = Map.of("ipam.cilium.io/ip-pool", "blue", "ipam.cilium.io/ipv6-pool", "v6-only");
		assertThat(PodPoolSelector.ipv6Pool(pod, null)).isEqualTo("v6-only");
		assertThat(PodPoolSelector.ipv4Pool(pod, null)).isEqualTo("blue");
	}

	@Test
	void podPerFamilyAnnotationWinsOverNamespaceAndPodLevelOnlyCounts() {
		Map<String, String> namespace = Map.of("ipam.cilium.io/ipv4-pool", "ns-v4");
		assertThat(PodPoolSelector.ipv4Pool(Map.of("ipam.cilium.io/ip-pool", "pod-any"), namespace))
			.isEqualTo("pod-any");
		assertThat(PodPoolSelector.ipv4Pool(Map.of(), namespace)).isEqualTo("ns-v4");
	}

}
