package io.jcilium.agent.endpoint;

/**
 * Told about every endpoint change, for example to keep a {@code CiliumEndpoint} object
 * per pod in the API server. Called outside the endpoint's locks; implementations must
 * not block for long.
 */
public interface EndpointListener {

	/**
	 * The endpoint was created or changed state, identity or address.
	 * @param status its state now
	 */
	void endpointChanged(EndpointStatus status);

	/**
	 * The endpoint was removed.
	 * @param status its last state
	 */
	void endpointRemoved(EndpointStatus status);

}
