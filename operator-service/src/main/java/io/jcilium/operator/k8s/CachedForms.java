package io.jcilium.operator.k8s;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * The forms the operator's informer caches keep ({@link SlimStore}), each with what its
 * readers take from it and nothing more, and the way the operator reads Pods.
 */
public final class CachedForms {

	/** Pods as generic resources: the operator reads their metadata only. */
	public static final ResourceDefinitionContext PODS = new ResourceDefinitionContext.Builder().withGroup("")
		.withVersion("v1")
		.withKind("Pod")
		.withPlural("pods")
		.withNamespaced(true)
		.build();

	private CachedForms() {
	}

	/**
	 * Makes the client read a Pod whose type is not given (a watch event's object) as a
	 * generic resource instead of fabric8's {@code Pod}: the operator's pod informer then
	 * never builds a Pod's spec tree, and never loads its ~400 model classes (containers,
	 * volumes, probes, their builders). Lossless: a typed Pod watch still gets a full
	 * {@code Pod}, converted from the generic form, and typed reads
	 * ({@code client.pods()...get()}) are not affected.
	 * @param client the operator's client
	 * @return the client
	 */
	public static KubernetesClient readingPodEventsGeneric(KubernetesClient client) {
		client.getKubernetesSerialization().registerKubernetesResource("v1", "Pod", GenericKubernetesResource.class);
		return client;
	}

	/**
	 * The Nodes, not yet running, cached as {@link #node}: the one Node informer form of
	 * the node lifecycle, identity GC and node certificates.
	 * @param client the operator's client
	 * @return the informer
	 */
	public static SharedIndexInformer<Node> nodeInformer(KubernetesClient client) {
		return client.nodes().runnableInformer(0).itemStore(new SlimStore<>(CachedForms::node));
	}

	/**
	 * The CiliumEndpoints of every namespace, not yet running, cached as
	 * {@link #ciliumEndpoint}: the form of endpoint GC and identity GC.
	 * @param client the operator's client
	 * @param context the CiliumEndpoint resource
	 * @return the informer
	 */
	public static SharedIndexInformer<GenericKubernetesResource> ciliumEndpointInformer(KubernetesClient client,
			ResourceDefinitionContext context) {
		return client.genericKubernetesResources(context)
			.inAnyNamespace()
			.runnableInformer(0)
			.itemStore(new SlimStore<>(CachedForms::ciliumEndpoint));
	}

	/**
	 * A pod as CiliumEndpoint GC reads it: namespace, name and UID.
	 * @param pod the pod as it came
	 * @return the cut form
	 */
	public static GenericKubernetesResource pod(GenericKubernetesResource pod) {
		GenericKubernetesResource cut = new GenericKubernetesResource();
		cut.setApiVersion(pod.getApiVersion());
		cut.setKind(pod.getKind());
		cut.setMetadata(identity(pod.getMetadata()));
		return cut;
	}

	/**
	 * A CiliumEndpoint as the garbage collectors read it: namespace, name, UID, owner
	 * references (endpoint GC) and {@code status.identity.id} (identity GC).
	 * @param endpoint the endpoint as it came
	 * @return the cut form
	 */
	public static GenericKubernetesResource ciliumEndpoint(GenericKubernetesResource endpoint) {
		GenericKubernetesResource cut = new GenericKubernetesResource();
		cut.setApiVersion(endpoint.getApiVersion());
		cut.setKind(endpoint.getKind());
		ObjectMeta metadata = identity(endpoint.getMetadata());
		metadata.setOwnerReferences(endpoint.getMetadata().getOwnerReferences());
		cut.setMetadata(metadata);
		if (endpoint.getAdditionalProperties().get("status") instanceof Map<?, ?> status
				&& status.get("identity") instanceof Map<?, ?> identity && identity.get("id") != null) {
			cut.setAdditionalProperty("status", Map.of("identity", Map.of("id", identity.get("id"))));
		}
		return cut;
	}

	/**
	 * A Node as the node lifecycle, identity GC and node certificates read it: its name
	 * and {@code status.addresses} (not its images, conditions, capacity or system info,
	 * which are most of a Node).
	 * @param node the node as it came
	 * @return the cut form
	 */
	public static Node node(Node node) {
		Node cut = new Node();
		cut.setApiVersion(node.getApiVersion());
		cut.setKind(node.getKind());
		cut.setMetadata(identity(node.getMetadata()));
		if (node.getStatus() != null && node.getStatus().getAddresses() != null) {
			NodeStatus status = new NodeStatus();
			status.setAddresses(List.copyOf(node.getStatus().getAddresses()));
			cut.setStatus(status);
		}
		return cut;
	}

	private static ObjectMeta identity(ObjectMeta metadata) {
		ObjectMeta cut = new ObjectMeta();
		cut.setNamespace(metadata.getNamespace());
		cut.setName(metadata.getName());
		cut.setUid(metadata.getUid());
		cut.setResourceVersion(metadata.getResourceVersion());
		return cut;
	}

}
