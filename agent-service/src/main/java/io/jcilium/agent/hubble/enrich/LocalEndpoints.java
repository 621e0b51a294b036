package io.jcilium.agent.hubble.enrich;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.jcilium.agent.endpoint.EndpointListener;
import io.jcilium.agent.endpoint.EndpointStatus;

/**
 * This node's endpoints as the endpoint lifecycle announces them, kept for lookups from
 * the datapath event reader's thread (no lock shared with the lifecycle).
 */
public final class LocalEndpoints implements EndpointListener, EndpointLookup {

	private final Map<Integer, LocalEndpoint> byId = new ConcurrentHashMap<>();

	private final Map<String, LocalEndpoint> byAddress = new ConcurrentHashMap<>();

	private final Map<Integer, LocalEndpoint> byInterface = new ConcurrentHashMap<>();

	@Override
	public void endpointChanged(EndpointStatus status) {
		LocalEndpoint endpoint = new LocalEndpoint(status.id(), orEmpty(status.podNamespace()),
				orEmpty(status.podName()), orEmpty(status.address()), orEmpty(status.hostIfName()),
				status.hostIfIndex(), status.identity());
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
