package io.jcilium.agent.endpoint;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.LongFunction;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.jcilium.api.crd.v2.CiliumEndpoint;
import io.jcilium.api.crd.v2.CiliumNode;
import io.jcilium.common.label.Label;
import io.jcilium.common.label.Labels;
import io.jcilium.common.policy.engine.EndpointPolicy;
import io.jcilium.common.policy.engine.MapEntry;
import io.jcilium.common.policy.engine.NamedPort;
import io.jcilium.common.policy.model.Direction;

/**
 * Builds the {@code CiliumEndpoint} object of a pod with upstream's status fields. The
 * object is named after the pod and owned by it, so Kubernetes' garbage collector removes
 * it with the pod even if this agent never gets to.
 */
final class CiliumEndpoints {

	/** Upstream's {@code EndpointPolicyStateEnforcing}. */
	static final String ENFORCING = "enforcing";

	/** Upstream's {@code EndpointPolicyStateNonEnforcing}. */
	static final String NON_ENFORCING = "non-enforcing";

	private CiliumEndpoints() {
	}

	/**
	 * The desired object.
	 * @param endpoint the endpoint's state
	 * @param pod its pod (for the owner reference and service account)
	 * @param metadata its identity labels and named ports, {@code null} if unknown
	 * @param nodeIp this node's IP, {@code null} if not yet known
	 * @param policy the policy computed for its identity, {@code null} while none is
	 * @param peerLabels the labels of a peer identity, {@code null} if unknown
	 * @return the object, status included
	 */
	static CiliumEndpoint desired(EndpointStatus endpoint, Pod pod, PodMetadata metadata, String nodeIp,
			EndpointPolicy policy, LongFunction<Labels> peerLabels) {
		CiliumEndpoint cep = new CiliumEndpoint();
		cep.setMetadata(new ObjectMetaBuilder().withNamespace(endpoint.podNamespace())
			.withName(endpoint.podName())
			.withOwnerReferences(ownerReference(pod))
			.build());
		cep.setStatus(status(endpoint, pod, metadata, nodeIp));
		cep.getStatus().policy = policy(policy, peerLabels);
		return cep;
	}

	static OwnerReference ownerReference(Pod pod) {
		return new OwnerReferenceBuilder().withApiVersion("v1")
			.withKind("Pod")
			.withName(pod.getMetadata().getName())
			.withUid(pod.getMetadata().getUid())
			.build();
	}

	/**
	 * Whether an existing object belongs to this endpoint (not to an earlier pod or
	 * endpoint of the same name).
	 * @param existing the object in the API server
	 * @param endpoint the endpoint
	 * @return whether deleting it is ours to do
	 */
	static boolean ownedBy(CiliumEndpoint existing, EndpointStatus endpoint) {
		CiliumEndpoint.Status status = existing.getStatus();
		if (status == null) {
			return true;
		}
		boolean sameId = status.id == null || status.id == endpoint.id();
		boolean sameContainer = status.externalIdentifiers == null || status.externalIdentifiers.containerId == null
				|| Objects.equals(status.externalIdentifiers.containerId, endpoint.containerId());
		return sameId && sameContainer;
	}

	/**
	 * Upstream's {@code getEndpointPolicy}: per direction whether policy is enforced, the
	 * state {@code kubectl get cep -o wide} shows, and the peers allowed and denied (a
	 * direction not enforced allows any peer: one empty tuple, as upstream); none while
	 * no policy is computed.
	 */
	private static CiliumEndpoint.Policy policy(EndpointPolicy policy, LongFunction<Labels> peerLabels) {
		if (policy == null) {
			return null;
		}
		CiliumEndpoint.Policy status = new CiliumEndpoint.Policy();
		status.ingress = direction(policy, Direction.INGRESS, peerLabels);
		status.egress = direction(policy, Direction.EGRESS, peerLabels);
		return status;
	}

	private static CiliumEndpoint.DirectionPolicy direction(EndpointPolicy policy, Direction way,
			LongFunction<Labels> peerLabels) {
		boolean enforcing = policy.enforced(way);
		CiliumEndpoint.DirectionPolicy direction = new CiliumEndpoint.DirectionPolicy();
		direction.enforcing = enforcing;
		direction.state = enforcing ? ENFORCING : NON_ENFORCING;
		List<CiliumEndpoint.IdentityTuple> allowed = new ArrayList<>();
		List<CiliumEndpoint.IdentityTuple> denied = new ArrayList<>();
		if (!enforcing) {
			allowed.add(new CiliumEndpoint.IdentityTuple());
		}
		for (MapEntry entry : policy.entries()) {
			if (entry.direction() != way) {
				continue;
			}
			if (entry.deny()) {
				denied.add(tuple(entry, peerLabels));
			}
			else if (enforcing) {
				allowed.add(tuple(entry, peerLabels));
			}
		}
		direction.allowed = allowed.isEmpty() ? null : sorted(allowed);
		direction.denied = denied.isEmpty() ? null : sorted(denied);
		return direction;
	}

	/**
	 * The entry as a tuple, zero fields left out, with the peer's labels as upstream's
	 * {@code Labels.StringMap} ({@code source:key} to value). A port range (prefix
	 * shorter than 16) shows its first port, as upstream's tuple has no range.
	 */
	private static CiliumEndpoint.IdentityTuple tuple(MapEntry entry, LongFunction<Labels> peerLabels) {
		CiliumEndpoint.IdentityTuple tuple = new CiliumEndpoint.IdentityTuple();
		tuple.identity = (entry.peer() != 0) ? entry.peer() : null;
		Labels labels = (entry.peer() != 0) ? peerLabels.apply(entry.peer()) : null;
		if (labels != null && !labels.isEmpty()) {
			Map<String, String> byKey = new TreeMap<>();
			for (Label label : labels.toList()) {
				byKey.put(label.source() + ":" + label.key(), label.value());
			}
			tuple.identityLabels = byKey;
		}
		tuple.destPort = (entry.prefixLength() != 0 && entry.port() != 0) ? entry.port() : null;
		tuple.protocol = (entry.protocol() != 0) ? entry.protocol() : null;
		return tuple;
	}

	/** Upstream's {@code IdentityList.Sort}: by identity, port, protocol. */
	private static List<CiliumEndpoint.IdentityTuple> sorted(List<CiliumEndpoint.IdentityTuple> tuples) {
		Comparator<CiliumEndpoint.IdentityTuple> order = Comparator
			.comparingLong((CiliumEndpoint.IdentityTuple t) -> (t.identity != null) ? t.identity : 0L)
			.thenComparingInt((t) -> (t.destPort != null) ? t.destPort : 0)
			.thenComparingInt((t) -> (t.protocol != null) ? t.protocol : 0);
		return tuples.stream().sorted(order).toList();
	}

	private static CiliumEndpoint.Status status(EndpointStatus endpoint, Pod pod, PodMetadata metadata, String nodeIp) {
		CiliumEndpoint.Status status = new CiliumEndpoint.Status();
		status.id = (long) endpoint.id();
		status.state = endpoint.state();
		if (endpoint.identity() > 0) {
			status.identity = new CiliumEndpoint.Identity();
			status.identity.id = endpoint.identity();
			status.identity.labels = (metadata != null)
					? metadata.securityLabels().toList().stream().map(Label::toString).sorted().toList() : List.of();
		}
		status.networking = new CiliumEndpoint.Networking();
		CiliumNode.AddressPair pair = new CiliumNode.AddressPair();
		if (endpoint.address().contains(":")) {
			pair.ipv6 = endpoint.address();
		}
		else {
			pair.ipv4 = endpoint.address();
		}
		status.networking.addressing = List.of(pair);
		status.networking.node = nodeIp;
		// No transparent encryption: upstream reports key index 0, which it omits.
		status.encryption = new CiliumNode.Encryption();
		if (metadata != null && !metadata.namedPorts().isEmpty()) {
			List<CiliumEndpoint.NamedPort> ports = new ArrayList<>();
			for (NamedPort port : metadata.namedPorts()) {
				CiliumEndpoint.NamedPort named = new CiliumEndpoint.NamedPort();
				named.name = port.name();
				named.port = port.port();
				named.protocol = port.protocol().name();
				ports.add(named);
			}
			status.namedPorts = ports;
		}
		status.externalIdentifiers = new CiliumEndpoint.ExternalIdentifiers();
		status.externalIdentifiers.containerId = endpoint.containerId();
		status.externalIdentifiers.k8sNamespace = endpoint.podNamespace();
		status.externalIdentifiers.k8sPodName = endpoint.podName();
		status.externalIdentifiers.podName = endpoint.podNamespace() + "/" + endpoint.podName();
		status.externalIdentifiers.cniAttachmentId = endpoint.containerId() + ":" + endpoint.podIfName();
		String serviceAccount = (pod.getSpec() != null) ? pod.getSpec().getServiceAccountName() : null;
		status.serviceAccount = (serviceAccount != null && !serviceAccount.isEmpty()) ? serviceAccount : null;
		return status;
	}

}
