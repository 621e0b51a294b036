package io.jcilium.bgp.interop;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import io.jcilium.bgp.wire.Prefix;

/**
 * A real BGP implementation running in a {@link NetnsLab}, peering with our speaker on
 * the host side of the link, and asked through its own CLI what it learned.
 */
interface PeerDaemon {

	/** The executables the daemon needs; a missing one skips the test outside CI. */
	List<String> executables();

	/** Writes the configuration and starts the daemon. */
	void start() throws IOException, InterruptedException;

	/** Stops the daemon (the lab kills what remains at its end). */
	void stop() throws IOException, InterruptedException;

	/**
	 * The prefixes the daemon holds from our speaker, IPv4 and IPv6, as its CLI shows
	 * them.
	 */
	Set<Prefix> learned() throws IOException, InterruptedException;

	/** Whether its CLI shows the session with us Established. */
	boolean established() throws IOException, InterruptedException;

}
