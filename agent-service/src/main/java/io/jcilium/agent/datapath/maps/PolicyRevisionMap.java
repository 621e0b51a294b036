package io.jcilium.agent.datapath.maps;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import io.jcilium.agent.datapath.libbpf.BpfMap;

/**
 * The node's {@code policy_revision} array: endpoint id -> its policy revision. A tracked
 * connection remembers the revision its verdict was taken at and skips the policy lookups
 * while it is current, so every change to an endpoint's policy or identity moves it on; 0
 * (never written) caches nothing.
 */
public final class PolicyRevisionMap {

	private final BpfMap map;

	public PolicyRevisionMap(BpfMap map) {
		if (map.keySize() != 4 || map.valueSize() != 4) {
			throw new IllegalArgumentException(
					"map " + map.name() + " has key/value " + map.keySize() + "/" + map.valueSize()
							+ " bytes but endpoint id/revision are 4/4: the object and the agent are out of step");
		}
		this.map = map;
	}

	/**
	 * An endpoint's current revision.
	 * @param endpointId the endpoint id
	 * @return the revision, 0 when never written
	 */
	public int get(int endpointId) {
		byte[] value = this.map.lookup(u32(endpointId));
		return (value != null) ? ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getInt() : 0;
	}

	/**
	 * Sets an endpoint's revision (one aligned 4-byte write: a program reads the old or
	 * the new value).
	 * @param endpointId the endpoint id
	 * @param revision the revision, not 0
	 */
	public void set(int endpointId, int revision) {
		if (revision == 0) {
			throw new IllegalArgumentException("policy revision 0 means none");
		}
		this.map.update(u32(endpointId), u32(revision), BpfMap.ANY);
	}

	/**
	 * Moves an endpoint's revision on, skipping 0.
	 * @param endpointId the endpoint id
	 * @return the new revision
	 */
	public int bump(int endpointId) {
		int next = get(endpointId) + 1;
		next = (next != 0) ? next : 1;
		set(endpointId, next);
		return next;
	}

	private static byte[] u32(int value) {
		return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, value).array();
	}

}
