package io.jcilium.agent.endpoint;

import org.springframework.beans.factory.ObjectProvider;

/**
 * The endpoint listener beans, looked up at each event rather than when the manager is
 * built, so a listener may itself depend on the manager.
 */
final class LazyEndpointListeners implements EndpointListener {

	private final ObjectProvider<EndpointListener> listeners;

	LazyEndpointListeners(ObjectProvider<EndpointListener> listeners) {
		this.listeners = listeners;
	}

	@Override
	public void endpointChanged(EndpointStatus status) {
		this.listeners.orderedStream().forEach((listener) -> listener.endpointChanged(status));
	}

	@Override
	public void endpointRemoved(EndpointStatus status) {
		this.listeners.orderedStream().forEach((listener) -> listener.endpointRemoved(status));
	}

}
