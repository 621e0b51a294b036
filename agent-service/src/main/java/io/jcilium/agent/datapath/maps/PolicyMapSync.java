package io.jcilium.agent.datapath.maps;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.jcilium.agent.datapath.maps.DatapathStructs.PolicyKey;
import io.jcilium.common.policy.engine.MapEntry;

/**
 * Keeps one endpoint's policy map equal to its policy entries, writing only keys whose
 * verdict changes, all of a change or none: keys are added and changed before others are
 * removed (traffic both versions allow is never denied in between), a change that would
 * not fit the map is refused before anything is written, and a write that fails halfway
 * is rolled back, so the previous policy stays fully in force. Not thread-safe: one
 * writer per map.
 */
public final class PolicyMapSync {

	private final PolicyKeyStore store;

	private final String name;

	private PolicyKeyState state = new PolicyKeyState();

	/**
	 * What the map holds, null until read (a map pinned by an earlier run has entries).
	 */
	private Map<PolicyKey, Boolean> written;

	/**
	 * A writer of one map.
	 * @param store the map
	 * @param name what the map is, for messages ("policy map of endpoint 12")
	 */
	public PolicyMapSync(PolicyKeyStore store, String name) {
		this.store = store;
		this.name = name;
	}

	/**
	 * Makes the map hold exactly the keys of these entries, writing what differs from
	 * what it holds.
	 * @param entries the policy entries
	 * @param ingressEnforced whether ingress is enforced
	 * @param egressEnforced whether egress is enforced
	 * @return keys written or deleted
	 * @throws PolicyMapWriteException if the change does not fit or a write failed (the
	 * map then holds what it held before)
	 */
	public int replace(Collection<MapEntry> entries, boolean ingressEnforced, boolean egressEnforced) {
		PolicyKeyState next = new PolicyKeyState();
		next.apply(entries, List.of(), ingressEnforced, egressEnforced);
		Map<PolicyKey, Boolean> current = written();
		Set<PolicyKey> keys = new HashSet<>(current.keySet());
		Map<PolicyKey, Boolean> desired = next.desired();
		keys.addAll(desired.keySet());
		int writes = write(next, keys);
		this.state = next;
		return writes;
	}

	/**
	 * Applies a change of the entries, writing only the keys it changes.
	 * @param added entries added
	 * @param removed entries removed
	 * @param ingressEnforced ingress enforcement after the change
	 * @param egressEnforced egress enforcement after the change
	 * @return keys written or deleted
	 * @throws PolicyMapWriteException if the change does not fit or a write failed (the
	 * map then holds what it held before, and the change is not applied)
	 */
	public int apply(Collection<MapEntry> added, Collection<MapEntry> removed, boolean ingressEnforced,
			boolean egressEnforced) {
		PolicyKeyState.Applied applied = this.state.apply(added, removed, ingressEnforced, egressEnforced);
		try {
			return write(this.state, applied.touched());
		}
		catch (RuntimeException ex) {
			this.state.revert(applied);
			throw ex;
		}
	}

	private int write(PolicyKeyState desired, Set<PolicyKey> keys) {
		Map<PolicyKey, Boolean> current = written();
		Map<PolicyKey, Boolean> upserts = new HashMap<>();
		List<PolicyKey> deletes = new ArrayList<>();
		for (PolicyKey key : keys) {
			Boolean verdict = desired.verdict(key);
			Boolean now = current.get(key);
			if (verdict == null) {
				if (now != null) {
					deletes.add(key);
				}
			}
			else if (!verdict.equals(now)) {
				upserts.put(key, verdict);
			}
		}
		if (upserts.isEmpty() && deletes.isEmpty()) {
			return 0;
		}
		long added = upserts.keySet().stream().filter((key) -> !current.containsKey(key)).count();
		int max = this.store.maxEntries();
		if (current.size() + added > max) {
			throw new PolicyMapWriteException(this.name + " holds " + current.size() + " of " + max
					+ " keys and the change needs " + added + " more: refused before writing, the previous policy "
					+ "stays in force (reduce the rules selecting this endpoint)", null);
		}
		List<Undo> undo = new ArrayList<>();
		try {
			// adds and changes first: what both versions allow stays allowed throughout
			for (Map.Entry<PolicyKey, Boolean> upsert : upserts.entrySet()) {
				this.store.upsert(upsert.getKey(), upsert.getValue());
				undo.add(new Undo(upsert.getKey(), current.get(upsert.getKey())));
			}
			for (PolicyKey key : deletes) {
				this.store.delete(key);
				undo.add(new Undo(key, current.get(key)));
			}
		}
		catch (RuntimeException ex) {
			throw rollBack(undo, upserts.size() + deletes.size(), ex);
		}
		current.putAll(upserts);
		deletes.forEach(current::remove);
		this.store.committed();
		return upserts.size() + deletes.size();
	}

	private PolicyMapWriteException rollBack(List<Undo> undo, int total, RuntimeException cause) {
		String failed = "writing " + total + " keys to " + this.name + " failed after " + undo.size() + ": "
				+ cause.getMessage();
		try {
			for (int i = undo.size() - 1; i >= 0; i--) {
				Undo step = undo.get(i);
				if (step.previous() == null) {
					this.store.delete(step.key());
				}
				else {
					this.store.upsert(step.key(), step.previous());
				}
			}
		}
		catch (RuntimeException rollBackFailure) {
			// what the map holds is unknown now: read it again before the next write
			this.written = null;
			cause.addSuppressed(rollBackFailure);
			return new PolicyMapWriteException(failed + "; rolling back failed too (" + rollBackFailure.getMessage()
					+ "), the map is read again before the next write", cause);
		}
		finally {
			if (!undo.isEmpty()) {
				this.store.committed();
			}
		}
		return new PolicyMapWriteException(failed + "; rolled back, the previous policy stays in force", cause);
	}

	private Map<PolicyKey, Boolean> written() {
		if (this.written == null) {
			this.written = new HashMap<>(this.store.read());
		}
		return this.written;
	}

	/** A key written and what it was before (null: not there). */
	private record Undo(PolicyKey key, Boolean previous) {

	}

}
