package io.jcilium.agent.endpoint;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import io.jcilium.common.label.Label;
import io.jcilium.common.label.Labels;

import io.jcilium.agent.link.PodLink;

/**
 * What the state directory keeps of one endpoint: enough to find its pod, veth and
 * datapath again after an agent restart, and to keep its identity meanwhile.
 *
 * @param id endpoint id
 * @param containerId the container id
 * @param podIfName pod-side interface name
 * @param netnsPath the pod's network namespace
 * @param podNamespace Kubernetes namespace or {@code null}
 * @param podName pod name or {@code null}
 * @param ip the pod address
 * @param hostIfName node-side veth name
 * @param hostIfIndex node-side interface index when the endpoint was written
 * @param hostMac node-side MAC
 * @param podMac pod-side MAC
 * @param identity security identity (0 if never resolved)
 * @param securityLabels the labels the identity was resolved from, in label syntax
 */
record EndpointRecord(int id, String containerId, String podIfName, String netnsPath, String podNamespace,
		String podName, String ip, String hostIfName, int hostIfIndex, String hostMac, String podMac, long identity,
		List<String> securityLabels) {

	static EndpointRecord of(Endpoint endpoint) {
		PodLink link = endpoint.link();
		return new EndpointRecord(endpoint.id(), endpoint.containerId(), endpoint.podIfName(), endpoint.netnsPath(),
				endpoint.podNamespace(), endpoint.podName(), endpoint.ip().getHostAddress(), endpoint.hostIfName(),
				link.hostIfIndex(), link.hostMac(), link.podMac(), endpoint.identity(),
				endpoint.securityLabels().toList().stream().map(Label::toString).toList());
	}

	/**
	 * The endpoint in state {@code restoring}, with its link, identity and labels.
	 * @throws IllegalArgumentException if the record is not usable
	 */
	Endpoint toRestoredEndpoint() {
		InetAddress address;
		try {
			// A literal never causes a lookup.
			address = InetAddress.getByName(this.ip);
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException("endpoint " + this.id + " has an invalid address " + this.ip, ex);
		}
		if (this.id < 1 || this.id > EndpointIds.MAX_ENDPOINT_ID) {
			throw new IllegalArgumentException(
					"endpoint id " + this.id + " is outside 1-" + EndpointIds.MAX_ENDPOINT_ID);
		}
		if (isBlank(this.containerId) || isBlank(this.podIfName) || isBlank(this.hostIfName)
				|| isBlank(this.netnsPath)) {
			throw new IllegalArgumentException(
					"endpoint " + this.id + " lacks its container id, interface names" + " or network namespace");
		}
		Endpoint endpoint = new Endpoint(this.id,
				new EndpointRequest(this.containerId, this.podIfName, this.netnsPath, this.podNamespace, this.podName,
						address),
				this.hostIfName, address, EndpointState.RESTORING, "restored from the state directory");
		endpoint.linked(new PodLink(this.hostIfName, this.hostIfIndex, this.hostMac, this.podIfName, this.podMac));
		endpoint.identity(this.identity);
		endpoint.securityLabels(Labels.parse((this.securityLabels != null) ? this.securityLabels : List.of()));
		endpoint.work.labelsKnown = true;
		return endpoint;
	}

	private static boolean isBlank(String value) {
		return value == null || value.isBlank();
	}

}
