package io.jcilium.operator.endpointgc;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.jcilium.operator.k8s.CachedForms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass of CiliumEndpoint garbage collection: a {@code CiliumEndpoint} is named after
 * its pod, so one whose pod is gone (or was replaced by a new pod of the same name, seen
 * by the pod UID in its owner reference) belongs to nobody and is deleted, as upstream's
 * operator does when an agent died before cleaning up.
 * <p>
 * The informer cache can lag: a pod created a moment ago may not be in it yet. So the
 * pod's absence is confirmed with a direct read before anything is deleted.
 */
final class EndpointGarbageCollector {

	private static final Logger logger = LoggerFactory.getLogger(EndpointGarbageCollector.class);

	private final KubernetesClient client;

	private final ResourceDefinitionContext endpointContext;

	EndpointGarbageCollector(KubernetesClient client, ResourceDefinitionContext endpointContext) {
		this.client = client;
		this.endpointContext = endpointContext;
	}

	/**
	 * Delete the CiliumEndpoints whose pods are gone.
	 * @param pods every pod (from the cache: metadata only)
	 * @param endpoints every CiliumEndpoint (from the cache)
	 * @return how many were deleted
	 */
	int collect(List<GenericKubernetesResource> pods, List<GenericKubernetesResource> endpoints) {
		Map<String, String> podUids = new HashMap<>();
		for (GenericKubernetesResource pod : pods) {
			podUids.put(key(pod.getMetadata().getNamespace(), pod.getMetadata().getName()), pod.getMetadata().getUid());
		}
		int deleted = 0;
		for (GenericKubernetesResource endpoint : endpoints) {
			String namespace = endpoint.getMetadata().getNamespace();
			String name = endpoint.getMetadata().getName();
			String ownerUid = podOwnerUid(endpoint);
			if (isOwned(podUids.get(key(namespace, name)), ownerUid)) {
				continue;
			}
			GenericKubernetesResource live = this.client.genericKubernetesResources(CachedForms.PODS)
				.inNamespace(namespace)
				.withName(name)
				.get();
			if (isOwned((live != null) ? live.getMetadata().getUid() : null, ownerUid)) {
				continue;
			}
			this.client.genericKubernetesResources(this.endpointContext).inNamespace(namespace).withName(name).delete();
			logger.info("Deleted CiliumEndpoint {}/{}: its pod is gone", namespace, name);
			deleted++;
		}
		return deleted;
	}

	// The pod exists and, if the endpoint names its owner's UID, is that very pod.
	private static boolean isOwned(String podUid, String ownerUid) {
		return podUid != null && (ownerUid == null || ownerUid.equals(podUid));
	}

	private static String podOwnerUid(GenericKubernetesResource endpoint) {
		List<OwnerReference> owners = endpoint.getMetadata().getOwnerReferences();
		if (owners == null) {
			return null;
		}
		return owners.stream()
			.filter((o) -> "Pod".equals(o.getKind()))
			.map(OwnerReference::getUid)
			.findFirst()
			.orElse(null);
	}

	private static String key(String namespace, String name) {
		return namespace + "/" + name;
	}

}
