package io.jcilium.agent.node;

import java.util.List;

/** This node's addresses, as its Node and CiliumNode objects state them. */
public interface NodeAddresses {

	/**
	 * The addresses.
	 * @return IP literals, empty while unknown
	 */
	List<String> localAddresses();

}
