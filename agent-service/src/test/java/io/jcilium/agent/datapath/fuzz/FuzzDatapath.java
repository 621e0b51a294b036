package io.jcilium.agent.datapath.fuzz;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import io.jcilium.agent.datapath.DatapathObjects;
import io.jcilium.agent.datapath.PodTopology;
import io.jcilium.agent.datapath.TestLibbpf;
import io.jcilium.agent.datapath.endpoint.BpfEndpointDatapath;
import io.jcilium.agent.datapath.endpoint.SharedMaps;
import io.jcilium.agent.datapath.loader.BpffsLayout;
import io.jcilium.agent.datapath.tc.NetworkNamespace;
import io.jcilium.agent.endpoint.Endpoint;
import io.jcilium.agent.endpoint.TestEndpoints;
import io.jcilium.agent.link.PodLink;
import io.jcilium.agent.policy.AgentPolicy;
import io.jcilium.agent.policy.PolicyInputSync;
import io.jcilium.common.identity.ReservedIdentity;
import io.jcilium.common.policy.engine.NamedPort;
import io.jcilium.common.policy.engine.PolicyEngine;
import io.jcilium.common.policy.model.Identity;
import io.jcilium.common.policy.parse.PolicyParser.PolicyObject;
import io.jcilium.jobs.Jobs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The datapath under test, driven as the agent drives it: pods are endpoints regenerated
 * through {@link BpfEndpointDatapath} (bpf_lxc on the host-side veth, pinned per-run
 * maps), identities and policies go through {@link AgentPolicy} into the endpoints'
 * policy maps. The only class of the fuzzer that knows the agent's internals: a change in
 * how policy reaches the maps is fixed here. {@link #close()} removes namespaces, veths
 * and pins, also after a half-finished setup.
 */
final class FuzzDatapath implements AutoCloseable {

	private final PodTopology topology = new PodTopology();

	private final BpffsLayout layout;

	private SharedMaps shared;

	private final Jobs jobs = new Jobs("fuzz-policy", 1);

	private AgentPolicy policy;

	private BpfEndpointDatapath datapath;

	private int nextEndpointId = 1;

	FuzzDatapath() {
		this.layout = new BpffsLayout(BpffsLayout.DEFAULT_ROOT, "jcilium-fuzz-" + this.topology.runId());
		try {
			this.topology.createNode();
			this.shared = new SharedMaps(TestLibbpf.get(), DatapathObjects.resolve(DatapathObjects.LXC), this.layout);
			this.policy = new AgentPolicy(new PolicyEngine(), new SimpleMeterRegistry(), this.jobs,
					new PolicyInputSync(PolicyInputSync.DEFAULT_INPUT_WAIT_LIMIT), (endpointId, reason) -> {
					});
			this.datapath = new BpfEndpointDatapath(TestLibbpf.get(), DatapathObjects.resolve(DatapathObjects.LXC),
					this.shared, this.policy, this.topology.nodeNamespacePath());
			// as the agent's identity feed does before anything else
			for (ReservedIdentity reserved : ReservedIdentity.values()) {
				this.policy.upsertIdentity(Identity.reserved(reserved));
			}
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
	}

	void upsertIdentity(Identity identity) {
		this.policy.upsertIdentity(identity);
	}

	void upsertPolicy(PolicyObject policy) {
		this.policy.upsertPolicy(policy);
	}

	void removePolicy(String key) {
		this.policy.removePolicy(key);
	}

	/**
	 * Returns once every policy change handed over so far is in the endpoints' maps: the
	 * agent writes them on its own thread, and a probe sent before that would test the
	 * previous policy.
	 */
	void awaitMapsWritten() {
		this.policy.awaitMapsWritten();
	}

	/**
	 * A pod wired to the node and brought up as an endpoint with its programs attached.
	 * @param shortName a short unique name (a few characters: it goes into device names)
	 * @param address its IPv4
	 * @param identity its identity
	 * @param namedPorts its named container ports
	 * @return the pod
	 */
	PodTopology.Pod addPod(String shortName, String address, Identity identity, List<NamedPort> namedPorts) {
		PodTopology.Pod pod = this.topology.addPod(shortName, address);
		int ifindex = NetworkNamespace.interfaceIndex(this.topology.nodeNamespacePath(), pod.hostInterface());
		PodLink link = new PodLink(pod.hostInterface(), ifindex, text(this.topology.hostMac(pod)), "eth0",
				text(pod.mac()));
		Endpoint endpoint = TestEndpoints.linked(this.nextEndpointId++, inet(address), link, identity.id(),
				identity.labels());
		TestEndpoints.namedPorts(endpoint, namedPorts);
		this.datapath.regenerate(endpoint);
		return pod;
	}

	private static String text(byte[] mac) {
		StringBuilder out = new StringBuilder();
		for (byte b : mac) {
			out.append((out.length() > 0) ? ":" : "").append(String.format("%02x", b & 0xff));
		}
		return out.toString();
	}

	private static InetAddress inet(String address) {
		try {
			return InetAddress.getByName(address);
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException(address, ex);
		}
	}

	@Override
	public void close() {
		try {
			if (this.datapath != null) {
				this.datapath.close();
			}
			if (this.shared != null) {
				this.shared.close();
			}
			if (this.policy != null) {
				this.policy.close();
			}
			this.jobs.close();
		}
		finally {
			this.topology.close();
			this.layout.removeAll();
		}
	}

}
