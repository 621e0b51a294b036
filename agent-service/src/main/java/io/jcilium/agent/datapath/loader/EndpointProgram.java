package io.jcilium.agent.datapath.loader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import io.jcilium.agent.datapath.libbpf.BpfMap;
import io.jcilium.agent.datapath.libbpf.BpfObject;
import io.jcilium.agent.datapath.libbpf.BpfProgram;
import io.jcilium.agent.datapath.maps.DatapathStructs;
import io.jcilium.agent.datapath.maps.PolicyMap;

/**
 * One endpoint's loaded bpf_lxc object: its programs, its policy map and the node's
 * shared maps, typed. The object is bound to one endpoint id; the endpoint's other
 * settings live in the node's endpoint settings map and change with {@link #configure}.
 * Closing it releases this process's fds only: pinned maps and attached programs keep
 * working in the kernel.
 */
public final class EndpointProgram extends BpfLxcObject {

	private volatile DatapathStructs.LxcConfig config;

	private final int revisionOffset;

	EndpointProgram(BpfObject object, DatapathStructs.LxcConfig config, int revisionOffset) {
		super(object);
		this.config = config;
		this.revisionOffset = revisionOffset;
	}

	/**
	 * The settings this process last wrote for the endpoint.
	 * @return the settings
	 */
	public DatapathStructs.LxcConfig config() {
		return this.config;
	}

	/**
	 * Changes the endpoint's settings under the running programs (one map write). A new
	 * identity also moves the policy revision on, so tracked connections re-check policy
	 * with it on their next packet.
	 * @param next the new settings, for the same endpoint id
	 */
	public synchronized void configure(DatapathStructs.LxcConfig next) {
		if (next.endpointId() != this.config.endpointId()) {
			throw new IllegalArgumentException("program of endpoint " + this.config.endpointId()
					+ " cannot take the settings of endpoint " + next.endpointId());
		}
		DatapathStructs.LxcConfig previous = this.config;
		endpointConfig().put(next);
		this.config = next;
		if (previous.identity() != next.identity()) {
			bumpPolicyRevision();
		}
	}

	/**
	 * The tc ingress program of the host-side veth (traffic leaving the pod).
	 * @return the program
	 */
	public BpfProgram fromContainer() {
		return object().program("from_container");
	}

	/**
	 * The tc egress program of the host-side veth (traffic delivered to the pod).
	 * @return the program
	 */
	public BpfProgram toContainer() {
		return object().program("to_container");
	}

	/**
	 * The program local pods' from-container programs tail-call to reach this endpoint
	 * (ingress policy, then straight into the pod); registered in the policy call map on
	 * load.
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
	 * The endpoint's policy map; every change through it bumps the program's policy
	 * revision, so tracked connections re-check policy on their next packet.
	 * @return the map
	 */
	public PolicyMap policy() {
		return new PolicyMap(object().map("policy"), this::bumpPolicyRevision);
	}

	/**
	 * Moves the program's {@code POLICY_REVISION} on: cached verdicts of tracked
	 * connections become stale and are re-checked against the policy map.
	 */
	public synchronized void bumpPolicyRevision() {
		BpfMap data = object().map(EndpointProgramLoader.DATA_SECTION);
		byte[] zeroKey = new byte[4];
		byte[] value = data.lookup(zeroKey);
		ByteBuffer buffer = ByteBuffer.wrap(value).order(ByteOrder.nativeOrder());
		int next = buffer.getInt(this.revisionOffset) + 1;
		buffer.putInt(this.revisionOffset, (next != 0) ? next : 1);
		data.update(zeroKey, value, BpfMap.ANY);
	}

}
