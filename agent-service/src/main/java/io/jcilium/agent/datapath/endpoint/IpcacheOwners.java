package io.jcilium.agent.datapath.endpoint;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import io.jcilium.agent.datapath.maps.IpcacheMap;

/**
 * The node's ipcache map has two writers: local endpoints (each its own host prefix) and
 * the ipcache feed (other nodes, their pods, CIDR identities of policies). A local
 * endpoint's address is its own: what the feed wants for the same prefix (a policy's
 * {@code toCIDR} naming the pod's /32, a CiliumEndpoint of a pod that has moved here) is
 * kept aside and written once the endpoint goes, and the feed removing a prefix never
 * removes an endpoint's entry. So a CIDR rule never takes a local pod's identity away,
 * and never leaves the pod without an entry when the rule goes.
 */
final class IpcacheOwners {

	private final Supplier<IpcacheMap> map;

	/** Host prefixes of local endpoints. */
	private final Set<Prefix> endpoints = new HashSet<>();

	/** What the feed wants, by prefix. */
	private final Map<Prefix, Value> feed = new HashMap<>();

	IpcacheOwners(Supplier<IpcacheMap> map) {
		this.map = map;
	}

	synchronized void putEndpoint(InetAddress address, int prefixLength, int identity) {
		this.map.get().put(address, prefixLength, identity, null);
		this.endpoints.add(new Prefix(address, prefixLength));
	}

	synchronized void removeEndpoint(InetAddress address, int prefixLength) {
		Prefix prefix = new Prefix(address, prefixLength);
		Value wanted = this.feed.get(prefix);
		if (wanted != null) {
			this.map.get().put(address, prefixLength, wanted.identity(), wanted.tunnelEndpoint());
		}
		else {
			this.map.get().remove(address, prefixLength);
		}
		this.endpoints.remove(prefix);
	}

	synchronized void putFeed(InetAddress address, int prefixLength, int identity, Inet4Address tunnelEndpoint) {
		Prefix prefix = new Prefix(address, prefixLength);
		if (!this.endpoints.contains(prefix)) {
			this.map.get().put(address, prefixLength, identity, tunnelEndpoint);
		}
		this.feed.put(prefix, new Value(identity, tunnelEndpoint));
	}

	synchronized void removeFeed(InetAddress address, int prefixLength) {
		Prefix prefix = new Prefix(address, prefixLength);
		if (!this.endpoints.contains(prefix)) {
			this.map.get().remove(address, prefixLength);
		}
		this.feed.remove(prefix);
	}

	private record Prefix(InetAddress address, int length) {
	}

	private record Value(int identity, Inet4Address tunnelEndpoint) {
	}

}
