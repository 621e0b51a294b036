package io.jcilium.agent.datapath.loader;

import io.jcilium.agent.datapath.libbpf.BpfMap;
import io.jcilium.agent.datapath.libbpf.BpfObject;
import io.jcilium.agent.datapath.libbpf.BpfProgram;
import io.jcilium.agent.datapath.maps.DatapathStructs;
import io.jcilium.agent.datapath.maps.PolicyMap;

/**
 * One endpoint on the node's shared bpf_lxc object: the shared programs, the endpoint's
 * own policy trie and typed access to the node's maps. What makes the programs run for
 * this endpoint is map entries (its settings, its veth's ifindex, its trie, its policy
 * revision), changed with {@link #configure}. Closing it releases this process's handle
 * on the trie (and, for a non-resident loader, on the object with the last endpoint):
 * pinned maps and attached programs keep working in the kernel.
 */
public final class EndpointProgram extends BpfLxcObject {

	private final EndpointProgramLoader loader;

	private final BpfMap trie;

	private volatile DatapathStructs.LxcConfig config;

	private boolean closed;

	EndpointProgram(BpfObject shared, EndpointProgramLoader loader, DatapathStructs.LxcConfig config, BpfMap trie) {
		super(shared);
		this.loader = loader;
		this.config = config;
		this.trie = trie;
	}

	/**
	 * The settings this process last wrote for the endpoint.
	 * @return the settings
	 */
	public DatapathStructs.LxcConfig config() {
		return this.config;
	}

	/**
	 * Changes the endpoint's settings under the running programs: a new host-side veth is
	 * bound to the endpoint first and the old one unbound after the settings name the new
	 * one; a new identity also moves the policy revision on, so tracked connections
	 * re-check policy with it on their next packet.
	 * @param next the new settings, for the same endpoint id
	 */
	public synchronized void configure(DatapathStructs.LxcConfig next) {
		int id = this.config.endpointId();
		if (next.endpointId() != id) {
			throw new IllegalArgumentException(
					"program of endpoint " + id + " cannot take the settings of endpoint " + next.endpointId());
		}
		DatapathStructs.LxcConfig previous = this.config;
		boolean newVeth = next.ifindex() != previous.ifindex();
		if (newVeth && next.ifindex() > 0) {
			endpointIfindex().put(next.ifindex(), id);
		}
		endpointConfig().put(next);
		this.config = next;
		if (newVeth && previous.ifindex() > 0) {
			endpointIfindex().removeIfBound(previous.ifindex(), id);
		}
		if (previous.identity() != next.identity()) {
			bumpPolicyRevision();
		}
	}

	/**
	 * The tc ingress program of the host-side veths (traffic leaving the pods), shared by
	 * every endpoint.
	 * @return the program
	 */
	public BpfProgram fromContainer() {
		return object().program("from_container");
	}

	/**
	 * The tc egress program of the host-side veths (traffic delivered to the pods),
	 * shared by every endpoint.
	 * @return the program
	 */
	public BpfProgram toContainer() {
		return object().program("to_container");
	}

	/**
	 * The program local pods' from-container programs tail-call to reach an endpoint (its
	 * ingress policy, then straight into the pod), registered under this endpoint's id in
	 * the policy call map on load.
	 * @return the program
	 */
	public BpfProgram lxcPolicy() {
		return object().program("lxc_policy");
	}

	/**
	 * Stops local pods from delivering to this endpoint directly (before removing the
	 * endpoint); its packets take the routing stack and the to-container hook again.
	 */
	public void unregisterLocalDelivery() {
		policyCalls().remove(this.config.endpointId());
	}

	/**
	 * The endpoint's policy trie; every change through it bumps the endpoint's policy
	 * revision, so tracked connections re-check policy on their next packet.
	 * @return the map
	 */
	public PolicyMap policy() {
		return new PolicyMap(this.trie, this::bumpPolicyRevision);
	}

	/**
	 * Moves the endpoint's policy revision on: cached verdicts of its tracked connections
	 * become stale and are re-checked against its policy trie.
	 */
	public synchronized void bumpPolicyRevision() {
		policyRevisions().bump(this.config.endpointId());
	}

	/** Releases this process's handle on the trie; the shared object is the loader's. */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.trie.close();
		this.loader.release();
	}

}
