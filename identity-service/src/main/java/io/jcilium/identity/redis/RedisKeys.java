package io.jcilium.identity.redis;

/**
 * Names of the identity keys in Redis. Every name starts with one hash tag, so all of
 * them live in one Redis Cluster slot, which the multi-key Lua scripts require.
 *
 * @param prefix the common prefix, ending in {@code :}
 */
record RedisKeys(String prefix) {

	RedisKeys {
		if (!prefix.contains("{") || !prefix.contains("}")) {
			throw new IllegalArgumentException("key prefix '" + prefix
					+ "' must contain a {hash tag} so every identity key lands in one Redis Cluster slot");
		}
		prefix = prefix.endsWith(":") ? prefix : prefix + ":";
	}

	/** Hash: labelsKey to id. */
	String byLabels() {
		return this.prefix + "by-labels";
	}

	/**
	 * Hash: a namespace (the value of its pods' {@code io.kubernetes.pod.namespace}
	 * label) to how many identities carry it. Kept by the scripts that create and delete
	 * identities; read by the allocate script for the per-namespace budget.
	 */
	String namespaceIdentities() {
		return this.prefix + "ns-identities";
	}

	/** Hash: id to labelsKey. */
	String byId() {
		return this.prefix + "by-id";
	}

	/** Hash: id to the revision that created it. */
	String revisions() {
		return this.prefix + "revs";
	}

	/** Counter: the revision of the latest change. */
	String revision() {
		return this.prefix + "revision";
	}

	/** Counter: the next never-used number. */
	String next() {
		return this.prefix + "next";
	}

	/** Sorted set: freed numbers, oldest first. */
	String free() {
		return this.prefix + "free";
	}

	/** Sorted set: unreferenced identities scored by stamp. */
	String unreferenced() {
		return this.prefix + "unref";
	}

	/** Counter: stamps for {@link #unreferenced()}. */
	String stamp() {
		return this.prefix + "stamp";
	}

	/** Sorted set: node to lease deadline in epoch milliseconds. */
	String leases() {
		return this.prefix + "leases";
	}

	/**
	 * Sorted set: node to when its lease expired and its references were dropped, until
	 * its next renewal reports the lease lost. An allocation gives such a node a new
	 * lease, so the renewal cannot tell from the lease alone that the references are
	 * gone.
	 */
	String lapsedLeases() {
		return this.prefix + "lapsed";
	}

	/** String: the replica holding the garbage-collection turn. */
	String gcTurn() {
		return this.prefix + "gc-turn";
	}

	/**
	 * String: the store's epoch, a random token set when a replica seeds an empty store.
	 * Its absence means Redis lost its data (or is new); a different value means it was
	 * replaced, so caches must not compare revisions across it.
	 */
	String epoch() {
		return this.prefix + "epoch";
	}

	/** Pub/sub channel of changes. */
	String channel() {
		return this.prefix + "changes";
	}

}
