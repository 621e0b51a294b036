package io.jcilium.agent.endpoint;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attaches nothing and only logs: stands in until the BPF datapath (the {@code datapath}
 * cell) attaches programs and writes maps per endpoint. Pods are connected but their
 * traffic is neither policed nor observed.
 */
public final class LoggingEndpointDatapath implements EndpointDatapath {

	private static final Logger logger = LoggerFactory.getLogger(LoggingEndpointDatapath.class);

	@Override
	public void regenerate(Endpoint endpoint) {
		logger.debug("endpoint {}: no datapath attached yet (identity {})", endpoint.id(), endpoint.identity());
	}

	@Override
	public void remove(Endpoint endpoint) {
		logger.debug("endpoint {}: no datapath to remove", endpoint.id());
	}

}
