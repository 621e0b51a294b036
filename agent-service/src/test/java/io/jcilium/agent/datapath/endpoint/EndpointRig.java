package io.jcilium.agent.datapath.endpoint;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import io.jcilium.agent.datapath.DatapathObjects;
import io.jcilium.agent.datapath.PodTopology;
import io.jcilium.agent.datapath.TestLibbpf;
import io.jcilium.agent.datapath.loader.BpffsLayout;
import io.jcilium.agent.datapath.tc.NetworkNamespace;
import io.jcilium.agent.endpoint.Endpoint;
import io.jcilium.agent.endpoint.TestEndpoints;
import io.jcilium.agent.link.PodLink;
import io.jcilium.agent.policy.AgentPolicy;
import io.jcilium.agent.policy.PolicyInputSync;
import io.jcilium.common.label.Labels;
import io.jcilium.common.policy.engine.PolicyEngine;
import io.jcilium.jobs.Jobs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * A node namespace with pod namespaces, driven the way the agent drives them: endpoints
 * through {@link BpfEndpointDatapath}, policy through {@link AgentPolicy}. "Stopping the
 * agent" drops every Java handle and leaves the kernel state; {@link #close()} removes
 * namespaces (with their veths and filters) and pins, also after a half-finished setup.
 */
final class EndpointRig implements AutoCloseable {

	final PodTopology topology = new PodTopology();

	final BpffsLayout layout;

	SimpleMeterRegistry registry;

	SharedMaps shared;

	Jobs jobs;

	AgentPolicy policy;

	BpfEndpointDatapath datapath;

	EndpointRig(String prefix) {
		this.layout = new BpffsLayout(BpffsLayout.DEFAULT_ROOT, prefix + "-" + this.topology.runId());
		try {
			this.topology.createNode();
		}
		catch (RuntimeException ex) {
			this.topology.close();
			throw ex;
		}
	}

	/** Starts a fresh "agent": new maps handles, policy engine and datapath. */
	void startAgent() {
		this.registry = new SimpleMeterRegistry();
		this.shared = new SharedMaps(TestLibbpf.get(), DatapathObjects.resolve(DatapathObjects.LXC), this.layout);
		this.jobs = new Jobs("rig-policy", 1);
		this.policy = new AgentPolicy(new PolicyEngine(), this.registry, this.jobs,
				new PolicyInputSync(PolicyInputSync.DEFAULT_INPUT_WAIT_LIMIT), (endpointId, reason) -> {
				});
		this.datapath = new BpfEndpointDatapath(TestLibbpf.get(), DatapathObjects.resolve(DatapathObjects.LXC),
				this.shared, this.policy, this.topology.nodeNamespacePath());
	}

	/** Drops every handle of the "agent"; programs, filters and pins stay. */
	void stopAgent() {
		if (this.datapath != null) {
			this.datapath.close();
			this.datapath = null;
		}
		if (this.policy != null) {
			this.policy.close();
			this.jobs.close();
		}
		if (this.shared != null) {
			this.shared.close();
			this.shared = null;
		}
	}

	/**
	 * An endpoint for a pod, linked with the pod's real ifindex and MACs.
	 * @param pod the pod
	 * @param id endpoint id
	 * @param identity its identity
	 * @param labels its labels
	 * @return the endpoint
	 */
	Endpoint endpoint(PodTopology.Pod pod, int id, long identity, Labels labels) {
		return TestEndpoints.linked(id, address(pod.address()), link(pod), identity, labels);
	}

	/**
	 * A pod's link as the endpoint lifecycle knows it: the real ifindex and MACs.
	 * @param pod the pod
	 * @return its link
	 */
	PodLink link(PodTopology.Pod pod) {
		int ifindex = NetworkNamespace.interfaceIndex(this.topology.nodeNamespacePath(), pod.hostInterface());
		String hostMac = mac(this.topology.nodeNamespace(), pod.hostInterface());
		String podMac = mac(pod.namespace(), "eth0");
		return new PodLink(pod.hostInterface(), ifindex, hostMac, "eth0", podMac);
	}

	static Labels labels(String app) {
		return Labels.parse(List.of("k8s:app=" + app, "k8s:io.kubernetes.pod.namespace=shop"));
	}

	private static String mac(String namespace, String device) {
		// "name@peer UP aa:bb:cc:dd:ee:ff <flags>"
		String[] fields = PodTopology.exec(namespace, "ip", "-br", "link", "show", "dev", device).trim().split("\\s+");
		return fields[2];
	}

	private static InetAddress address(String text) {
		try {
			return InetAddress.getByName(text);
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException(text, ex);
		}
	}

	@Override
	public void close() {
		try {
			stopAgent();
		}
		finally {
			this.topology.close();
			this.layout.removeAll();
		}
	}

}
