package io.jcilium.bgp.nodeconfig;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Map;
import java.util.Objects;

import io.jcilium.api.crd.v2.CiliumNode;

/**
 * The node's settings for the virtual router of one local AS, from upstream's annotation
 * {@code cilium.io/bgp-virtual-router.<asn>: "router-id=192.0.2.1,local-port=179"} (a
 * CiliumBGPPeeringPolicy names no node, so what differs per node sits on the node).
 *
 * @param routerId the router id, or {@code null} for the node's IPv4 InternalIP
 * @param localPort the port to listen on, or 0 for no listener (active only, as upstream)
 */
record VirtualRouterAnnotation(InetAddress routerId, int localPort) {

	static final String PREFIX = "cilium.io/bgp-virtual-router.";

	/**
	 * @param node the node, or {@code null}
	 * @param localAsn the virtual router's local AS
	 * @throws NodeConfigException naming the annotation when it is malformed
	 */
	static VirtualRouterAnnotation of(CiliumNode node, long localAsn) {
		String key = PREFIX + localAsn;
		Map<String, String> annotations = (node != null) ? node.getMetadata().getAnnotations() : null;
		String value = Objects.requireNonNullElse(annotations, Map.<String, String>of()).get(key);
		if (value == null) {
			return new VirtualRouterAnnotation(null, 0);
		}
		InetAddress routerId = null;
		int localPort = 0;
		for (String attribute : value.split(",")) {
			String[] pair = attribute.split("=", -1);
			if (pair.length != 2) {
				// Upstream skips what is not key=value.
				continue;
			}
			String attributeValue = pair[1].trim();
			switch (pair[0].trim()) {
				case "router-id" -> {
					routerId = PeerSettings.address(attributeValue, "annotation " + key + " router-id");
					if (!(routerId instanceof Inet4Address)) {
						throw new NodeConfigException(
								"annotation " + key + " router-id " + attributeValue + " must be an IPv4 address");
					}
				}
				case "local-port" -> localPort = port(key, attributeValue);
				default -> {
					// Upstream ignores attributes it does not know.
				}
			}
		}
		return new VirtualRouterAnnotation(routerId, localPort);
	}

	private static int port(String key, String text) {
		try {
			int port = Integer.parseInt(text);
			if (port > 0 && port <= 65535) {
				return port;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new NodeConfigException("annotation " + key + " local-port '" + text + "' is not a port (1-65535)");
	}

}
