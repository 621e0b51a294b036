package io.jcilium.agent.datapath.endpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

import io.jcilium.agent.datapath.loader.NodeMaps;
import io.jcilium.agent.datapath.maps.DatapathStructs;
import io.jcilium.agent.endpoint.Endpoint;
import io.jcilium.agent.link.PodLink;

/**
 * A local endpoint's entries in the node's shared maps: the endpoints map (where local
 * pods deliver to it directly) and its host prefix in the ipcache; by endpoint id, its
 * settings and its pinned policy map.
 */
final class EndpointEntries {

	private final SharedMaps shared;

	EndpointEntries(SharedMaps shared) {
		this.shared = shared;
	}

	void write(Endpoint endpoint, PodLink link, int ifindex, int identity) {
		NodeMaps maps = this.shared.maps();
		maps.endpoints()
			.put(endpoint.ip(), new DatapathStructs.EndpointInfo(ifindex, endpoint.id(), 0, mac(link.podMac()),
					mac(link.hostMac()), identity));
		this.shared.ipcacheOwners().putEndpoint(endpoint.ip(), hostPrefix(endpoint), identity);
	}

	void remove(Endpoint endpoint) {
		NodeMaps maps = this.shared.maps();
		maps.endpoints().remove(endpoint.ip());
		this.shared.ipcacheOwners().removeEndpoint(endpoint.ip(), hostPrefix(endpoint));
	}

	/** The endpoint's settings entry and its policy trie (map-of-maps entry and pin). */
	void removePinned(int endpointId) {
		this.shared.maps().endpointConfig().remove(endpointId);
		this.shared.maps().policyMaps().remove(endpointId);
		try {
			Files.deleteIfExists(this.shared.layout().policyMap(endpointId));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot unpin the policy map of endpoint " + endpointId, ex);
		}
	}

	private static int hostPrefix(Endpoint endpoint) {
		return (endpoint.ip().getAddress().length == 4) ? 32 : 128;
	}

	static byte[] mac(String text) {
		if (text == null || text.isEmpty()) {
			return new byte[6];
		}
		String[] parts = text.split(":");
		if (parts.length != 6) {
			throw new IllegalArgumentException("bad MAC address '" + text + "'");
		}
		byte[] mac = new byte[6];
		for (int i = 0; i < 6; i++) {
			mac[i] = (byte) Integer.parseInt(parts[i], 16);
		}
		return mac;
	}

}
