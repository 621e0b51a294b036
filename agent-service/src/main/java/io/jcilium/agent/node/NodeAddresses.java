package io.jcilium.agent.node;

import java.util.List;

/** This node's addresses, as its Node and CiliumNode objects state them. */
public interface NodeAddresses {

	/**
	 * The addresses.
	 * @return IP literals, empty while unknown
	 */
	List<String> localAddresses();

	/**
	 * Calls {@code listener} after each change of {@link #localAddresses()}, so a reader
	 * never acts on a Node event before the addresses it brought are visible. Addresses
	 * that never change (a fixed list) have nothing to call.
	 * @param listener called on the thread that changed them; must not block
	 */
	default void onChange(Runnable listener) {
	}

}
