package io.jcilium.agent.endpoint;

import java.net.InetAddress;
import java.util.List;

import io.jcilium.common.label.Labels;
import io.jcilium.common.policy.engine.NamedPort;

import io.jcilium.agent.link.PodLink;

/**
 * Endpoints for tests of other cells (the datapath drives real pods through them without
 * the whole lifecycle).
 */
public final class TestEndpoints {

	private TestEndpoints() {
	}

	/**
	 * An endpoint already linked and with an identity.
	 * @param id the endpoint id
	 * @param ip the pod's address
	 * @param link the pod's link
	 * @param identity the identity
	 * @param labels its labels
	 * @return the endpoint
	 */
	public static Endpoint linked(int id, InetAddress ip, PodLink link, long identity, Labels labels) {
		Endpoint endpoint = new Endpoint(id,
				new EndpointRequest("container-" + id, link.podIfName(), "", "default", "pod-" + id, ip),
				link.hostIfName(), ip);
		endpoint.linked(link);
		relabel(endpoint, identity, labels);
		return endpoint;
	}

	/**
	 * Moves an endpoint to another identity, as a label change does.
	 * @param endpoint the endpoint
	 * @param identity the new identity
	 * @param labels its labels
	 */
	public static void relabel(Endpoint endpoint, long identity, Labels labels) {
		endpoint.identity(identity);
		endpoint.securityLabels(labels);
	}

	/**
	 * Gives an endpoint the named container ports of its pod.
	 * @param endpoint the endpoint
	 * @param ports the pod's named ports
	 */
	public static void namedPorts(Endpoint endpoint, List<NamedPort> ports) {
		endpoint.namedPorts(ports);
	}

}
