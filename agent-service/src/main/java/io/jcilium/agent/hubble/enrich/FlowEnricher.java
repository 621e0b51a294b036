package io.jcilium.agent.hubble.enrich;

import java.util.List;
import java.util.Optional;

import io.jcilium.api.hubble.flow.Endpoint;
import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.flow.NetworkInterface;

/**
 * Adds what only the agent knows to a flow the datapath decoded: a uuid, the node, and
 * for each side the local endpoint (by id, else by address), its pod and namespace, and
 * the identity's labels; a remote peer gets its pod and namespace from its CiliumEndpoint
 * ({@link RemotePods}), else its namespace from its identity's labels, as upstream shows
 * pods of other nodes. A policy verdict gets the rules that decided it
 * ({@link PolicyCorrelation}).
 */
public final class FlowEnricher {

	static final String NAMESPACE_LABEL = "k8s:io.kubernetes.pod.namespace=";

	private final String nodeName;

	private final EndpointLookup endpoints;

	private final IdentityLabels identities;

	private final PolicyCorrelation policies;

	private final RemotePods remotePods;

	public FlowEnricher(String nodeName, EndpointLookup endpoints, IdentityLabels identities) {
		this(nodeName, endpoints, identities, PolicyCorrelation.NONE);
	}

	public FlowEnricher(String nodeName, EndpointLookup endpoints, IdentityLabels identities,
			PolicyCorrelation policies) {
		this(nodeName, endpoints, identities, policies, RemotePods.NONE);
	}

	public FlowEnricher(String nodeName, EndpointLookup endpoints, IdentityLabels identities,
			PolicyCorrelation policies, RemotePods remotePods) {
		this.remotePods = remotePods;
		this.nodeName = nodeName;
		this.endpoints = endpoints;
		this.identities = identities;
		this.policies = policies;
	}

	public Flow enrich(Flow decoded) {
		Flow.Builder flow = decoded.toBuilder().setNodeName(this.nodeName).setUuid(FlowUuids.next());
		flow.setSource(endpoint(decoded.getSource(), decoded.getIP().getSource()));
		flow.setDestination(endpoint(decoded.getDestination(), decoded.getIP().getDestination()));
		this.policies.correlate(flow);
		if (decoded.hasInterface() && decoded.getInterface().getName().isEmpty()) {
			this.endpoints.byInterfaceIndex(decoded.getInterface().getIndex())
				.ifPresent((local) -> flow.setInterface(NetworkInterface.newBuilder()
					.setIndex(decoded.getInterface().getIndex())
					.setName(local.hostIfName())));
		}
		return flow.build();
	}

	private Endpoint endpoint(Endpoint decoded, String address) {
		Optional<LocalEndpoint> local = (decoded.getID() != 0) ? this.endpoints.byId(decoded.getID())
				: Optional.empty();
		if (local.isEmpty() && !address.isEmpty()) {
			local = this.endpoints.byAddress(address);
		}
		Endpoint.Builder endpoint = decoded.toBuilder();
		if (local.isPresent()) {
			LocalEndpoint found = local.get();
			endpoint.setID(found.id()).setNamespace(found.namespace()).setPodName(found.podName());
			if (endpoint.getWorkloadsCount() == 0) {
				endpoint.addAllWorkloads(found.workloads());
			}
			if (endpoint.getIdentity() == 0) {
				endpoint.setIdentity((int) found.identity());
			}
		}
		else if (!address.isEmpty()) {
			this.remotePods.byAddress(address)
				.ifPresent((pod) -> endpoint.setNamespace(pod.namespace()).setPodName(pod.podName()));
		}
		List<String> labels = (endpoint.getIdentity() != 0)
				? this.identities.labelsOf(Integer.toUnsignedLong(endpoint.getIdentity())) : List.of();
		endpoint.clearLabels().addAllLabels(labels);
		if (endpoint.getNamespace().isEmpty()) {
			for (String label : labels) {
				if (label.startsWith(NAMESPACE_LABEL)) {
					endpoint.setNamespace(label.substring(NAMESPACE_LABEL.length()));
				}
			}
		}
		return endpoint.build();
	}

}
