package io.jcilium.agent.endpoint;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.jcilium.api.crd.v2.CiliumEndpoint;

import io.jcilium.agent.k8s.PodMetadataMapper;
import io.jcilium.agent.k8s.RetryingWriter;

/**
 * Keeps one {@code CiliumEndpoint} per local pod endpoint in the API server, as
 * upstream's agent does: created when the endpoint appears, its status rewritten when the
 * endpoint changes, deleted when it is removed. Writes run on the {@link RetryingWriter}
 * and are retried until they succeed, so the endpoint lifecycle never waits for the API
 * server. An endpoint whose pod is not (yet) in the informer cache is written when the
 * pod appears: the owner reference needs the pod's UID.
 */
final class CiliumEndpointWriter implements EndpointListener {

	private final KubernetesClient client;

	private final RetryingWriter writer;

	private final BiFunction<String, String, Pod> pods;

	private final PodMetadataSource metadata;

	private final Supplier<List<String>> nodeAddresses;

	private final PolicyStatusSource policies;

	/** The latest state of each local pod's endpoint, by namespace/name. */
	private final Map<String, EndpointStatus> endpoints = new ConcurrentHashMap<>();

	CiliumEndpointWriter(KubernetesClient client, RetryingWriter writer, BiFunction<String, String, Pod> pods,
			PodMetadataSource metadata, Supplier<List<String>> nodeAddresses, PolicyStatusSource policies) {
		this.client = client;
		this.writer = writer;
		this.pods = pods;
		this.metadata = metadata;
		this.nodeAddresses = nodeAddresses;
		this.policies = policies;
	}

	@Override
	public void endpointChanged(EndpointStatus status) {
		if (status.podNamespace() == null || status.podName() == null) {
			return;
		}
		String key = key(status.podNamespace(), status.podName());
		this.endpoints.put(key, status);
		this.writer.submit(key, () -> write(status));
	}

	@Override
	public void endpointRemoved(EndpointStatus status) {
		if (status.podNamespace() == null || status.podName() == null) {
			return;
		}
		String key = key(status.podNamespace(), status.podName());
		this.endpoints.computeIfPresent(key, (k, current) -> (current.id() == status.id()) ? null : current);
		this.writer.submit(key, () -> delete(status));
	}

	/**
	 * Rewrites the objects of the local endpoints of an identity whose policy changed: a
	 * rule selecting them turns their enforcement on without any endpoint event.
	 * @param identity the identity
	 */
	void policyChanged(long identity) {
		this.endpoints.forEach((key, status) -> {
			if (status.identity() == identity) {
				this.writer.submit(key, () -> write(status));
			}
		});
	}

	/**
	 * Writes the endpoint of a pod that just appeared in (or changed in) the cache.
	 * @return a handler for the local pods' informer
	 */
	ResourceEventHandler<Pod> pods() {
		return new ResourceEventHandler<>() {

			@Override
			public void onAdd(Pod pod) {
				rewrite(pod);
			}

			@Override
			public void onUpdate(Pod before, Pod after) {
				if (before == after || PodMetadataMapper.metadataChanged(before, after)
						|| !after.getMetadata().getUid().equals(before.getMetadata().getUid())) {
					rewrite(after);
				}
			}

			@Override
			public void onDelete(Pod pod, boolean finalStateUnknown) {
				// The owner reference lets Kubernetes delete the CiliumEndpoint with it.
			}

		};
	}

	private void rewrite(Pod pod) {
		String key = key(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
		EndpointStatus status = this.endpoints.get(key);
		if (status != null) {
			this.writer.submit(key, () -> write(status));
		}
	}

	private void write(EndpointStatus status) {
		Pod pod = this.pods.apply(status.podNamespace(), status.podName());
		if (pod == null) {
			return;
		}
		List<String> addresses = this.nodeAddresses.get();
		CiliumEndpoint desired = CiliumEndpoints.desired(status, pod,
				this.metadata.find(status.podNamespace(), status.podName()).orElse(null),
				addresses.isEmpty() ? null : addresses.get(0),
				(status.identity() > 0) ? this.policies.policy(status.identity()) : null,
				this.policies::identityLabels);
		Resource<CiliumEndpoint> resource = endpoints(status.podNamespace()).withName(status.podName());
		CiliumEndpoint existing = resource.get();
		if (existing == null) {
			existing = endpoints(status.podNamespace()).resource(desired).create();
		}
		else if (!desired.getMetadata().getOwnerReferences().equals(existing.getMetadata().getOwnerReferences())) {
			// Left by an earlier pod of the same name: it is this pod's now.
			existing.getMetadata().setOwnerReferences(desired.getMetadata().getOwnerReferences());
			existing = endpoints(status.podNamespace()).resource(existing).update();
		}
		if (!sameStatus(existing, desired)) {
			existing.setStatus(desired.getStatus());
			endpoints(status.podNamespace()).resource(existing).updateStatus();
		}
	}

	private void delete(EndpointStatus status) {
		Resource<CiliumEndpoint> resource = endpoints(status.podNamespace()).withName(status.podName());
		CiliumEndpoint existing = resource.get();
		if (existing == null || !CiliumEndpoints.ownedBy(existing, status)) {
			return;
		}
		try {
			endpoints(status.podNamespace()).resource(existing).delete();
		}
		catch (KubernetesClientException ex) {
			if (ex.getCode() != 404) {
				throw ex;
			}
		}
	}

	private boolean sameStatus(CiliumEndpoint existing, CiliumEndpoint desired) {
		var serialization = this.client.getKubernetesSerialization();
		return serialization.asJson(desired.getStatus()).equals(serialization.asJson(existing.getStatus()));
	}

	private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<CiliumEndpoint, KubernetesResourceList<CiliumEndpoint>, Resource<CiliumEndpoint>> endpoints(
			String namespace) {
		MixedOperation<CiliumEndpoint, KubernetesResourceList<CiliumEndpoint>, Resource<CiliumEndpoint>> all = this.client
			.resources(CiliumEndpoint.class);
		return all.inNamespace(namespace);
	}

	private static String key(String namespace, String name) {
		return namespace + "/" + name;
	}

}
