package io.jcilium.agent.k8s;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.jcilium.common.net.Protocol;
import io.jcilium.common.policy.engine.NamedPort;
import org.junit.jupiter.api.Test;

import io.jcilium.agent.endpoint.PodMetadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PodMetadataMapperTest {

	@Test
	void reservedKeysComeFromTheRealObjectsNeverFromThePod() {
		Pod pod = pod(Map.of("app", "web", "io.kubernetes.pod.namespace", "kube-system",
				"io.cilium.k8s.policy.serviceaccount", "admin"), "web-sa");
		Namespace namespace = new NamespaceBuilder().withNewMetadata()
			.withName("shop")
			.withLabels(Map.of("team", "payments"))
			.endMetadata()
			.build();
		PodMetadata metadata = PodMetadataMapper.map(pod, namespace, "prod-eu");
		assertThat(metadata.securityLabels().toList()).map(Object::toString)
			.containsExactlyInAnyOrder("k8s:app=web", "k8s:io.kubernetes.pod.namespace=shop",
					"k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=shop",
					"k8s:io.cilium.k8s.namespace.labels.team=payments",
					"k8s:io.cilium.k8s.policy.serviceaccount=web-sa", "k8s:io.cilium.k8s.policy.cluster=prod-eu");
	}

	@Test
	void onlyIdentityRelevantLabelsAreKeptAndTheLabelsOptionLeavesMoreOut() {
		Pod pod = pod(Map.of("app", "web", "pod-template-hash", "5d9c7b", "request-id", "r-8f2a"), null);

		assertThat(PodMetadataMapper.map(pod, null, "default").securityLabels().get("request-id"))
			.as("kept by upstream's defaults")
			.isPresent();
		PodMetadata metadata = PodMetadataMapper.map(pod, null, "default",
				new NodeProperties("n1", "default", List.of("k8s:!request-id")).labelFilter());

		assertThat(metadata.securityLabels().toList()).map(Object::toString)
			.containsExactlyInAnyOrder("k8s:app=web", "k8s:io.kubernetes.pod.namespace=shop",
					"k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=shop",
					"k8s:io.cilium.k8s.policy.cluster=default");
	}

	@Test
	void aMalformedLabelPatternStopsTheStartNamingIt() {
		assertThatThrownBy(() -> new NodeProperties("n1", "default", List.of("k8s:!(")))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("label pattern 'k8s:!(' is not a valid regular expression");
	}

	@Test
	void namedPortsKeepTheirProtocolAndDefaultToTcp() {
		Pod pod = new PodBuilder(pod(Map.of("app", "dns"), null)).editSpec()
			.addNewContainer()
			.withName("dns")
			.addNewPort()
			.withName("dns")
			.withContainerPort(53)
			.withProtocol("UDP")
			.endPort()
			.addNewPort()
			.withName("dns-tcp")
			.withContainerPort(53)
			.endPort()
			.addNewPort()
			.withContainerPort(9153)
			.endPort()
			.endContainer()
			.endSpec()
			.build();
		assertThat(PodMetadataMapper.map(pod, null, "default").namedPorts())
			.containsExactly(new NamedPort("dns", 53, Protocol.UDP), new NamedPort("dns-tcp", 53, Protocol.TCP));
	}

	@Test
	void onlyIdentityRelevantChangesCount() {
		Pod before = pod(Map.of("app", "web"), "sa");
		Pod annotated = new PodBuilder(before).editMetadata().addToAnnotations("note", "x").endMetadata().build();
		Pod relabelled = new PodBuilder(before).editMetadata().addToLabels("tier", "db").endMetadata().build();
		Pod otherAccount = new PodBuilder(before).editSpec().withServiceAccountName("other").endSpec().build();
		assertThat(PodMetadataMapper.metadataChanged(before, annotated)).isFalse();
		assertThat(PodMetadataMapper.metadataChanged(before, relabelled)).isTrue();
		assertThat(PodMetadataMapper.metadataChanged(before, otherAccount)).isTrue();
	}

	private static Pod pod(Map<String, String> labels, String serviceAccount) {
		return new PodBuilder().withNewMetadata()
			.withNamespace("shop")
			.withName("web")
			.withLabels(labels)
			.endMetadata()
			.withNewSpec()
			.withNodeName("node-1")
			.withServiceAccountName(serviceAccount)
			.endSpec()
			.build();
	}

}
