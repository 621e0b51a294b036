package io.jcilium.agent.endpoint;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the {@link EndpointListener}s, always outside the endpoint's locks; a failing
 * listener is logged and does not stop the others or the lifecycle.
 */
final class EndpointEvents {

	private static final Logger logger = LoggerFactory.getLogger(EndpointEvents.class);

	private final List<EndpointListener> listeners;

	EndpointEvents(List<EndpointListener> listeners) {
		this.listeners = List.copyOf(listeners);
	}

	void changed(EndpointStatus status) {
		for (EndpointListener listener : this.listeners) {
			try {
				listener.endpointChanged(status);
			}
			catch (RuntimeException ex) {
				logger.warn("endpoint listener {} failed on endpoint {}: {}", listener, status.id(), ex.getMessage(),
						ex);
			}
		}
	}

	void removed(EndpointStatus status) {
		for (EndpointListener listener : this.listeners) {
			try {
				listener.endpointRemoved(status);
			}
			catch (RuntimeException ex) {
				logger.warn("endpoint listener {} failed on removal of endpoint {}: {}", listener, status.id(),
						ex.getMessage(), ex);
			}
		}
	}

}
