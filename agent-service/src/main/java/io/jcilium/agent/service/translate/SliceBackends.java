package io.jcilium.agent.service.translate;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.jcilium.common.net.IpAddress;
import io.jcilium.common.net.Protocol;

import io.jcilium.agent.service.lb.L4Address;

/**
 * The endpoints of one service port across a service's EndpointSlices. A named target
 * port is resolved per endpoint: the EndpointSlice controller groups endpoints whose
 * containers give the name the same number into one slice, and the slice's port of the
 * service port's name carries that number, so each slice is read with its own port.
 */
final class SliceBackends {

	private SliceBackends() {
	}

	/**
	 * @param slices the service's EndpointSlices
	 * @param portName the service port's name ("" when it has one unnamed port)
	 * @param protocol the service port's protocol
	 * @param ipv4 which family the frontend is
	 * @param problems where malformed entries are reported
	 * @return every endpoint with its conditions
	 */
	static List<BackendCandidate> of(List<EndpointSlice> slices, String portName, Protocol protocol, boolean ipv4,
			List<String> problems) {
		List<BackendCandidate> candidates = new ArrayList<>();
		for (EndpointSlice slice : slices) {
			String type = slice.getAddressType();
			if (!(ipv4 ? "IPv4" : "IPv6").equals(type)) {
				continue; // the other family, or FQDN (not load balanced, as upstream)
			}
			Integer port = portOf(slice, portName, protocol);
			if (port == null) {
				continue;
			}
			for (Endpoint endpoint : nonNull(slice.getEndpoints())) {
				EndpointConditions conditions = endpoint.getConditions();
				boolean ready = conditions == null || conditions.getReady() == null || conditions.getReady();
				boolean serving = (conditions == null || conditions.getServing() == null) ? ready
						: conditions.getServing();
				boolean terminating = conditions != null && Boolean.TRUE.equals(conditions.getTerminating());
				for (String text : nonNull(endpoint.getAddresses())) {
					InetAddress address = parse(text, slice, problems);
					if (address == null || (address instanceof Inet4Address) != ipv4) {
						continue;
					}
					candidates.add(new BackendCandidate(new L4Address(address, port, protocol), endpoint.getNodeName(),
							ready, serving, terminating));
				}
			}
		}
		return candidates;
	}

	private static Integer portOf(EndpointSlice slice, String portName, Protocol protocol) {
		for (EndpointPort port : nonNull(slice.getPorts())) {
			String name = Objects.requireNonNullElse(port.getName(), "");
			Protocol portProtocol = Protocol.parse(Objects.requireNonNullElse(port.getProtocol(), "TCP"));
			if (name.equals(portName) && portProtocol == protocol && port.getPort() != null && port.getPort() > 0
					&& port.getPort() <= 65535) {
				return port.getPort();
			}
		}
		return null;
	}

	private static InetAddress parse(String text, EndpointSlice slice, List<String> problems) {
		try {
			return IpAddress.parseLiteral(text);
		}
		catch (IllegalArgumentException ex) {
			problems.add("EndpointSlice " + slice.getMetadata().getName() + ": endpoint address '" + text
					+ "' is not an IP address, skipped");
			return null;
		}
	}

	private static <T> List<T> nonNull(List<T> list) {
		return (list != null) ? list : List.of();
	}

}
