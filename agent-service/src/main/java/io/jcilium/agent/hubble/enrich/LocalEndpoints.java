package io.jcilium.agent.hubble.enrich;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.jcilium.agent.endpoint.EndpointListener;
import io.jcilium.agent.endpoint.EndpointStatus;
import io.jcilium.api.hubble.flow.Workload;

/**
 * This node's endpoints as the endpoint lifecycle announces them, with their pods'
 * workloads, kept for lookups from the datapath event reader's thread (no lock shared
 * with the lifecycle).
 */
public final class LocalEndpoints implements EndpointListener, EndpointLookup {

	private final Map<Integer, LocalEndpoint> byId = new ConcurrentHashMap<>();

	private final Map<String, LocalEndpoint> byAddress = new ConcurrentHashMap<>();

	private final Map<Integer, LocalEndpoint> byInterface = new ConcurrentHashMap<>();

	private final PodWorkloads workloads;

	public LocalEndpoints() {
		this(PodWorkloads.NONE);
	}

	/**
	 * @param workloads the pods' workloads, looked up when an endpoint changes (not per
	 * flow)
	 */
	public LocalEndpoints(PodWorkloads workloads) {
		this.workloads = workloads;
	}

	@Override
	public void endpointChanged(EndpointStatus status) {
		String namespace = orEmpty(status.podNamespace());
		String podName = orEmpty(status.podName());
		List<Workload> owners = (namespace.isEmpty() || podName.isEmpty()) ? List.of()
				: this.workloads.of(namespace, podName);
		LocalEndpoint endpoint = new LocalEndpoint(status.id(), namespace, podName, orEmpty(status.address()),
				orEmpty(status.hostIfName()), status.hostIfIndex(), status.identity(), List.copyOf(owners));
		LocalEndpoint previous = this.byId.put(endpoint.id(), endpoint);
		if (previous != null) {
			forget(previous);
		}
		if (!endpoint.address().isEmpty()) {
			this.byAddress.put(endpoint.address(), endpoint);
		}
		if (endpoint.hostIfIndex() != 0) {
			this.byInterface.put(endpoint.hostIfIndex(), endpoint);
		}
	}

	@Override
	public void endpointRemoved(EndpointStatus status) {
		LocalEndpoint removed = this.byId.remove(status.id());
		if (removed != null) {
			forget(removed);
		}
	}

	@Override
	public Optional<LocalEndpoint> byId(int id) {
		return Optional.ofNullable(this.byId.get(id));
	}

	@Override
	public Optional<LocalEndpoint> byAddress(String address) {
		return Optional.ofNullable(this.byAddress.get(address));
	}

	@Override
	public Optional<LocalEndpoint> byInterfaceIndex(int ifindex) {
		return Optional.ofNullable(this.byInterface.get(ifindex));
	}

	private void forget(LocalEndpoint endpoint) {
		this.byAddress.remove(endpoint.address(), endpoint);
		this.byInterface.remove(endpoint.hostIfIndex(), endpoint);
	}

	private static String orEmpty(String text) {
		return (text != null) ? text : "";
	}

}
