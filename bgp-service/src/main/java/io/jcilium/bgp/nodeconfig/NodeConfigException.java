package io.jcilium.bgp.nodeconfig;

/**
 * A node config the speaker cannot run, naming the field and what to do; the speaker
 * keeps running its last good configuration.
 */
public final class NodeConfigException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public NodeConfigException(String message) {
		super(message);
	}

}
