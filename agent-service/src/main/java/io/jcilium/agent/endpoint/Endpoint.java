package io.jcilium.agent.endpoint;

import java.net.InetAddress;
import java.util.List;

import io.jcilium.common.label.Labels;
import io.jcilium.common.policy.engine.NamedPort;

import io.jcilium.agent.link.PodLink;

/**
 * One pod interface managed by this agent. Its state only moves along the transitions
 * {@link EndpointState} allows, and every change of state carries a reason.
 */
public final class Endpoint {

	private final int id;

	private final EndpointRequest request;

	private final String hostIfName;

	private final InetAddress ip;

	private PodLink link;

	private long identity;

	private Labels securityLabels = Labels.empty();

	private List<NamedPort> namedPorts = List.of();

	private EndpointState state;

	private String stateReason;

	/**
	 * Bookkeeping of the lifecycle's background work; not part of the endpoint's view.
	 */
	final EndpointWork work;

	Endpoint(int id, EndpointRequest request, String hostIfName, InetAddress ip) {
		this(id, request, hostIfName, ip, EndpointState.WAITING_FOR_IDENTITY, "endpoint created");
	}

	Endpoint(int id, EndpointRequest request, String hostIfName, InetAddress ip, EndpointState state, String reason) {
		this.id = id;
		this.request = request;
		this.hostIfName = hostIfName;
		this.ip = ip;
		this.state = state;
		this.stateReason = reason;
		this.work = new EndpointWork((state == EndpointState.RESTORING) ? 0 : System.nanoTime());
	}

	public int id() {
		return this.id;
	}

	public String containerId() {
		return this.request.containerId();
	}

	public String podIfName() {
		return this.request.podIfName();
	}

	public String netnsPath() {
		return this.request.netnsPath();
	}

	/** The Kubernetes namespace of the pod, or {@code null} outside Kubernetes. */
	public String podNamespace() {
		return this.request.podNamespace();
	}

	/** The pod's name, or {@code null} outside Kubernetes. */
	public String podName() {
		return this.request.podName();
	}

	public String hostIfName() {
		return this.hostIfName;
	}

	public InetAddress ip() {
		return this.ip;
	}

	public synchronized PodLink link() {
		return this.link;
	}

	synchronized void linked(PodLink link) {
		this.link = link;
	}

	public synchronized long identity() {
		return this.identity;
	}

	synchronized void identity(long identity) {
		this.identity = identity;
	}

	/**
	 * The labels the identity is derived from; empty until the pod's metadata is known.
	 */
	public synchronized Labels securityLabels() {
		return this.securityLabels;
	}

	synchronized void securityLabels(Labels labels) {
		this.securityLabels = labels;
	}

	/**
	 * The pod's named container ports, for policies that name ports; empty until known.
	 */
	public synchronized List<NamedPort> namedPorts() {
		return this.namedPorts;
	}

	synchronized void namedPorts(List<NamedPort> ports) {
		this.namedPorts = List.copyOf(ports);
	}

	public synchronized EndpointState state() {
		return this.state;
	}

	/** Why the endpoint is in its current state. */
	public synchronized String stateReason() {
		return this.stateReason;
	}

	/**
	 * Moves to {@code next}; staying in the same state only updates the reason (a retry
	 * that failed for a new cause).
	 * @throws IllegalStateException if the lifecycle does not allow that transition
	 */
	synchronized void moveTo(EndpointState next, String reason) {
		if (next != this.state && !this.state.canMoveTo(next)) {
			throw new IllegalStateException("endpoint " + this.id + " cannot move from " + this.state.apiName() + " to "
					+ next.apiName() + " (" + reason + ")");
		}
		this.state = next;
		this.stateReason = reason;
	}

	public synchronized EndpointStatus status() {
		return new EndpointStatus(this.id, containerId(), podIfName(), this.hostIfName,
				(this.link != null) ? this.link.hostIfIndex() : 0, this.request.podNamespace(), this.request.podName(),
				this.ip.getHostAddress(), this.identity, this.state.apiName(), this.stateReason);
	}

}
