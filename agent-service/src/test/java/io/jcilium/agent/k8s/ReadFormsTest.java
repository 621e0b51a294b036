package io.jcilium.agent.k8s;

import java.util.List;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class ReadFormsTest {

	/**
	 * A pod as an API server returns it: a Deployment's replica with its projected
	 * service-account volume, probes, resources, security contexts, tolerations, an init
	 * container, and a status with conditions and container statuses.
	 */
	private static final String POD = """
			{"apiVersion": "v1", "kind": "Pod",
			 "metadata": {"name": "web-5d9c7b-x2k4p", "namespace": "shop", "uid": "0b7e6c1e-4f7e-4c39-9d4e-1f7a2c3b4d5e",
			  "resourceVersion": "48213", "generateName": "web-5d9c7b-",
			  "labels": {"app": "web", "pod-template-hash": "5d9c7b"},
			  "annotations": {"ipam.cilium.io/ip-pool": "blue"},
			  "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-5d9c7b",
			    "uid": "9a1b2c3d-0000-4000-8000-000000000001", "controller": true, "blockOwnerDeletion": true}],
			  "managedFields": [{"manager": "kube-controller-manager", "operation": "Update", "apiVersion": "v1",
			    "fieldsType": "FieldsV1", "fieldsV1": {"f:metadata": {"f:labels": {".": {}, "f:app": {}}}}}]},
			 "spec": {
			  "nodeName": "node-1", "serviceAccountName": "web-sa", "serviceAccount": "web-sa",
			  "volumes": [{"name": "kube-api-access-7x9qz", "projected": {"defaultMode": 420, "sources": [
			    {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
			    {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}}]}},
			   {"name": "data", "persistentVolumeClaim": {"claimName": "web-data"}}],
			  "initContainers": [{"name": "migrate", "image": "web:1.4", "command": ["/migrate"],
			    "ports": [{"name": "admin", "containerPort": 9000, "protocol": "TCP"}]}],
			  "containers": [{"name": "web", "image": "web:1.4",
			    "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"},
			              {"name": "dns", "containerPort": 5353, "protocol": "UDP"}],
			    "env": [{"name": "POD_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}}],
			    "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}, "limits": {"memory": "128Mi"}},
			    "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080}, "periodSeconds": 10},
			    "readinessProbe": {"tcpSocket": {"port": "http"}},
			    "securityContext": {"runAsNonRoot": true, "capabilities": {"drop": ["ALL"]}},
			    "volumeMounts": [{"name": "kube-api-access-7x9qz", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "readOnly": true}]}],
			  "securityContext": {"fsGroup": 2000, "seccompProfile": {"type": "RuntimeDefault"}},
			  "affinity": {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 100,
			    "podAffinityTerm": {"labelSelector": {"matchLabels": {"app": "web"}}, "topologyKey": "kubernetes.io/hostname"}}]}},
			  "tolerations": [{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}],
			  "dnsPolicy": "ClusterFirst", "restartPolicy": "Always", "schedulerName": "default-scheduler"},
			 "status": {"phase": "Running", "hostIP": "192.168.1.11", "podIP": "10.0.1.23",
			  "podIPs": [{"ip": "10.0.1.23"}, {"ip": "fd00::1:17"}],
			  "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "2026-12-07T06:00:00Z"}],
			  "containerStatuses": [{"name": "web", "ready": true, "restartCount": 0, "image": "web:1.4",
			    "imageID": "sha256:1b2c", "containerID": "containerd://4f5e", "started": true,
			    "state": {"running": {"startedAt": "2026-12-07T06:00:00Z"}}}]}}
			""";

	private final KubernetesSerialization form = ReadForms.serialization();

	private final KubernetesSerialization whole = new KubernetesSerialization();

	@Test
	void keepsWhatTheAgentReadsOfAPod() {
		Pod pod = this.form.unmarshal(POD, Pod.class);
		assertThat(pod.getMetadata().getName()).isEqualTo("web-5d9c7b-x2k4p");
		assertThat(pod.getMetadata().getLabels()).containsEntry("app", "web");
		assertThat(pod.getMetadata().getAnnotations()).containsEntry("ipam.cilium.io/ip-pool", "blue");
		assertThat(pod.getMetadata().getOwnerReferences()).singleElement()
			.satisfies((owner) -> assertThat(owner.getName()).isEqualTo("web-5d9c7b"));
		assertThat(pod.getSpec().getNodeName()).isEqualTo("node-1");
		assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("web-sa");
		assertThat(pod.getSpec().getContainers()).singleElement()
			.satisfies((container) -> assertThat(container.getPorts())
				.extracting(ContainerPort::getName, ContainerPort::getContainerPort, ContainerPort::getProtocol)
				.containsExactly(tuple("http", 8080, "TCP"), tuple("dns", 5353, "UDP")));
		assertThat(pod.getSpec().getInitContainers()).singleElement()
			.satisfies((container) -> assertThat(container.getPorts()).extracting(ContainerPort::getName)
				.containsExactly("admin"));
		assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
		assertThat(pod.getStatus().getPodIP()).isEqualTo("10.0.1.23");
		assertThat(pod.getStatus().getPodIPs()).extracting(PodIP::getIp).containsExactly("10.0.1.23", "fd00::1:17");
	}

	@Test
	void leavesTheRestOfSpecAndStatusUnreadNotStashedAsUnknownFields() {
		Pod whole = this.whole.unmarshal(POD, Pod.class);
		assertThat(whole.getSpec().getVolumes()).hasSize(2);
		assertThat(whole.getSpec().getContainers().get(0).getLivenessProbe()).isNotNull();
		assertThat(whole.getStatus().getContainerStatuses()).hasSize(1);

		Pod pod = this.form.unmarshal(POD, Pod.class);
		assertThat(pod.getSpec().getVolumes()).isEmpty();
		assertThat(pod.getSpec().getAffinity()).isNull();
		assertThat(pod.getSpec().getTolerations()).isEmpty();
		assertThat(pod.getSpec().getSecurityContext()).isNull();
		assertThat(pod.getSpec().getAdditionalProperties()).isEmpty();
		assertThat(pod.getSpec().getContainers().get(0).getEnv()).isEmpty();
		assertThat(pod.getSpec().getContainers().get(0).getLivenessProbe()).isNull();
		assertThat(pod.getSpec().getContainers().get(0).getResources()).isNull();
		assertThat(pod.getSpec().getContainers().get(0).getAdditionalProperties()).isEmpty();
		assertThat(pod.getStatus().getContainerStatuses()).isEmpty();
		assertThat(pod.getStatus().getConditions()).isEmpty();
		assertThat(pod.getStatus().getAdditionalProperties()).isEmpty();
	}

	@Test
	void aPodListAsAnInformerListsItGivesTheSameEndpointMetadataAsTheWholePod() {
		String list = "{\"apiVersion\": \"v1\", \"kind\": \"PodList\", \"metadata\": {\"resourceVersion\": \"48300\"},"
				+ " \"items\": [" + POD + "]}";
		Pod cut = this.form.unmarshal(list, PodList.class).getItems().get(0);
		Pod whole = this.whole.unmarshal(list, PodList.class).getItems().get(0);
		Namespace namespace = new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build();
		assertThat(PodMetadataMapper.map(cut, namespace, "default"))
			.isEqualTo(PodMetadataMapper.map(whole, namespace, "default"));
		assertThat(PodMetadataMapper.map(cut, namespace, "default").namedPorts()).hasSize(3);
		assertThat(new LocalPods("node-1", null).isLocal(cut)).isTrue();
		assertThat(List.of(cut.getMetadata().getUid(), cut.getMetadata().getResourceVersion()))
			.containsExactly(whole.getMetadata().getUid(), whole.getMetadata().getResourceVersion());
	}

	@Test
	void keepsANodesAddressesAndLeavesItsImagesAndSystemInfoUnread() {
		String node = """
				{"apiVersion": "v1", "kind": "Node",
				 "metadata": {"name": "node-1", "labels": {"kubernetes.io/hostname": "node-1", "bgp": "rack-a"}},
				 "spec": {"podCIDR": "10.0.1.0/24", "podCIDRs": ["10.0.1.0/24", "fd00:1::/64"],
				  "taints": [{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]},
				 "status": {"addresses": [{"type": "InternalIP", "address": "192.168.1.11"},
				   {"type": "Hostname", "address": "node-1"}],
				  "capacity": {"cpu": "2", "memory": "24Gi"},
				  "conditions": [{"type": "Ready", "status": "True"}],
				  "images": [{"names": ["registry.k8s.io/pause:3.10"], "sizeBytes": 320368}],
				  "nodeInfo": {"kubeletVersion": "v1.32.0", "containerRuntimeVersion": "containerd://2.0.0",
				   "kernelVersion": "6.1.0", "osImage": "Debian GNU/Linux 12", "architecture": "amd64",
				   "operatingSystem": "linux", "machineID": "m", "systemUUID": "s", "bootID": "b", "kubeProxyVersion": ""}}}
				""";
		Node whole = this.whole.unmarshal(node, Node.class);
		assertThat(whole.getStatus().getImages()).hasSize(1);
		assertThat(whole.getStatus().getNodeInfo()).isNotNull();

		Node cut = this.form.unmarshal(node, Node.class);
		assertThat(cut.getMetadata()).isEqualTo(whole.getMetadata());
		assertThat(cut.getStatus().getAddresses()).isEqualTo(whole.getStatus().getAddresses());
		assertThat(cut.getSpec().getPodCIDRs()).containsExactly("10.0.1.0/24", "fd00:1::/64");
		assertThat(cut.getSpec().getTaints()).isEmpty();
		assertThat(cut.getStatus().getImages()).isEmpty();
		assertThat(cut.getStatus().getNodeInfo()).isNull();
		assertThat(cut.getStatus().getConditions()).isEmpty();
		assertThat(cut.getStatus().getAdditionalProperties()).isEmpty();
	}

	@Test
	void otherKindsAreReadWhole() {
		String service = """
				{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "shop"},
				 "spec": {"type": "ClusterIP", "clusterIP": "10.96.0.10", "selector": {"app": "web"},
				  "ports": [{"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"}],
				  "sessionAffinity": "ClientIP", "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 600}}}}
				""";
		assertThat(this.form.unmarshal(service, Service.class)).isEqualTo(this.whole.unmarshal(service, Service.class));
	}

}
