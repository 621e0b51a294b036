package io.jcilium.agent.datapath.endpoint;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.jcilium.agent.datapath.PodTopology;
import io.jcilium.agent.link.LinkOperations;
import io.jcilium.agent.link.PodLink;
import io.jcilium.agent.link.PodLinkSpec;

/**
 * Pod links in an {@link EndpointRig}'s node namespace, created when ADD asks for them,
 * as iproute2 creates them in the host's: real veths with real programs on them. One
 * instance stands for the node's kernel across restarts of the "agent".
 */
final class RigLinks implements LinkOperations {

	final Map<String, PodTopology.Pod> pods = new ConcurrentHashMap<>();

	private final EndpointRig rig;

	volatile int created;

	RigLinks(EndpointRig rig) {
		this.rig = rig;
	}

	@Override
	public PodLink createPodLink(PodLinkSpec spec) {
		PodTopology.Pod pod = this.rig.topology.addPod("w" + this.created++, spec.podIp().getHostAddress());
		this.pods.put(spec.hostIfName(), pod);
		return this.rig.link(pod);
	}

	@Override
	public void deletePodLink(String hostIfName) {
		PodTopology.Pod pod = this.pods.remove(hostIfName);
		if (pod != null) {
			this.rig.topology.inNode("ip", "link", "del", pod.hostInterface());
		}
	}

	@Override
	public boolean hostLinkExists(String hostIfName) {
		return this.pods.containsKey(hostIfName);
	}

	@Override
	public Set<String> podHostLinks() {
		return Set.copyOf(this.pods.keySet());
	}

	PodTopology.Pod pod(String hostIfName) {
		return this.pods.get(hostIfName);
	}

}
