package io.jcilium.agent.datapath.lb;

import io.jcilium.agent.datapath.PodTopology;

/**
 * Two nodes and a client outside the cluster, for the tc LB:
 *
 * <pre>
 *   outside (eth0 .203.9) --- ext (.203.1) [node 1: pods a, b] fab (.204.1) --- fab (.204.2) [node 2: pod r]
 * </pre>
 *
 * The client routes the LoadBalancer range (10.96.203.0/24) to node 1. Node 2 can reach
 * node 1's external address and nothing else outside, so a backend on node 2 can only
 * answer a connection node 1 SNATed to that address. Every name carries the topologies'
 * run ids; {@link #close()} deletes every namespace.
 */
final class OutsideTopology implements AutoCloseable {

	static final String NODE_ADDRESS = "192.168.203.1";

	static final String CLIENT_ADDRESS = "192.168.203.9";

	static final String LB_RANGE = "10.96.203.0/24";

	private final PodTopology node;

	private final PodTopology node2;

	private final String outside;

	private PodTopology.Pod a;

	private PodTopology.Pod b;

	private PodTopology.Pod r;

	OutsideTopology() {
		this.node = new PodTopology();
		this.node2 = new PodTopology();
		this.outside = "jcout-" + this.node.runId();
	}

	OutsideTopology create() {
		this.node.createNode();
		this.node2.createNode();
		this.a = this.node.addPod("a", "10.203.0.1");
		this.b = this.node.addPod("b", "10.203.0.2");
		this.r = this.node2.addPod("r", "10.204.0.1");
		PodTopology.tryRun("ip", "netns", "add", this.outside);
		PodTopology.exec(this.outside, "ip", "link", "set", "lo", "up");
		run("ip", "link", "add", externalDevice(), "netns", this.node.nodeNamespace(), "type", "veth", "peer", "name",
				"eth0", "netns", this.outside);
		this.node.inNode("ip", "addr", "add", NODE_ADDRESS + "/24", "dev", externalDevice());
		this.node.inNode("ip", "link", "set", externalDevice(), "up");
		this.node.inNode("sysctl", "-qw", "net.ipv4.conf." + externalDevice() + ".forwarding=1");
		PodTopology.exec(this.outside, "ip", "addr", "add", CLIENT_ADDRESS + "/24", "dev", "eth0");
		PodTopology.exec(this.outside, "ip", "link", "set", "eth0", "up");
		PodTopology.exec(this.outside, "ip", "route", "add", LB_RANGE, "via", NODE_ADDRESS);

		run("ip", "link", "add", fabricDevice(), "netns", this.node.nodeNamespace(), "type", "veth", "peer", "name",
				fabricDevice(), "netns", this.node2.nodeNamespace());
		this.node.inNode("ip", "addr", "add", "192.168.204.1/24", "dev", fabricDevice());
		this.node.inNode("ip", "link", "set", fabricDevice(), "up");
		this.node.inNode("sysctl", "-qw", "net.ipv4.conf." + fabricDevice() + ".forwarding=1");
		PodTopology.exec(this.node2.nodeNamespace(), "ip", "addr", "add", "192.168.204.2/24", "dev", fabricDevice());
		PodTopology.exec(this.node2.nodeNamespace(), "ip", "link", "set", fabricDevice(), "up");
		PodTopology.exec(this.node2.nodeNamespace(), "sysctl", "-qw",
				"net.ipv4.conf." + fabricDevice() + ".forwarding=1");
		this.node.inNode("ip", "route", "add", this.r.address() + "/32", "via", "192.168.204.2");
		PodTopology.exec(this.node2.nodeNamespace(), "ip", "route", "add", NODE_ADDRESS + "/32", "via",
				"192.168.204.1");
		return this;
	}

	private static void run(String... command) {
		PodTopology.Result result = PodTopology.tryRun(command);
		if (result.exitCode() != 0) {
			throw new IllegalStateException(String.join(" ", command) + ": " + result.output());
		}
	}

	PodTopology node() {
		return this.node;
	}

	String outside() {
		return this.outside;
	}

	String externalDevice() {
		return "ext" + this.node.runId();
	}

	String fabricDevice() {
		return "fab" + this.node.runId();
	}

	PodTopology.Pod a() {
		return this.a;
	}

	PodTopology.Pod b() {
		return this.b;
	}

	/** The pod on node 2. */
	PodTopology.Pod r() {
		return this.r;
	}

	@Override
	public void close() {
		PodTopology.tryRun("ip", "netns", "del", this.outside);
		this.node2.close();
		this.node.close();
	}

}
