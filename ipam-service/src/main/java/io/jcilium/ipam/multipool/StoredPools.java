package io.jcilium.ipam.multipool;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.jcilium.ipam.block.BlockAllocator;
import io.jcilium.ipam.block.BlockSpace;
import io.jcilium.ipam.block.BlockStore;
import io.jcilium.ipam.block.Family;
import io.jcilium.ipam.block.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API-defined pools as the {@link BlockStore} keeps them, shared by every
 * ipam-service replica and surviving restarts. A definition is stored as one line,
 * {@code <ipv4 cidrs|-> <ipv4 mask> <ipv6 cidrs|-> <ipv6 mask>} (CIDRs comma separated),
 * and that exact text guards each claim from the pool. Reads go to the store; the last
 * read is kept for the allocation path, which re-reads when a guarded claim finds it
 * stale.
 */
final class StoredPools {

	private static final Logger logger = LoggerFactory.getLogger(StoredPools.class);

	private final BlockStore store;

	private volatile Snapshot last;

	StoredPools(BlockStore store) {
		this.store = store;
	}

	/** Reads the pools from the store. */
	Snapshot current() {
		BlockStore.PoolDefinitions stored = this.store.poolDefinitions();
		Map<String, Pool> pools = new TreeMap<>();
		Map<String, String> definitions = new TreeMap<>();
		stored.definitions().forEach((name, definition) -> {
			try {
				pools.put(name, decode(name, definition));
				definitions.put(name, definition);
			}
			catch (RuntimeException ex) {
				// Only a hand-edited or foreign value gets here: the pool is left out.
				logger.warn("Ignoring stored IP pool '{}' with unreadable definition '{}': {}", name, definition,
						ex.getMessage());
			}
		});
		Snapshot snapshot = new Snapshot(stored.version(), pools, definitions);
		this.last = snapshot;
		return snapshot;
	}

	/** The last read, or a new read if none was made. */
	Snapshot last() {
		Snapshot snapshot = this.last;
		return (snapshot != null) ? snapshot : current();
	}

	BlockStore.PutOutcome put(Pool pool, long expectedVersion) {
		List<Integer> masks = Arrays.stream(Family.values())
			.map(pool::space)
			.map((space) -> space.isEmpty() ? 0 : space.maskSize())
			.toList();
		return this.store.putPoolDefinition(pool.name(), encode(pool), expectedVersion, keys(pool.name()), masks);
	}

	/** See {@link BlockStore#removePoolDefinition}. */
	long remove(String name) {
		return this.store.removePoolDefinition(name, keys(name));
	}

	private static List<String> keys(String pool) {
		return Arrays.stream(Family.values()).map((family) -> BlockAllocator.key(pool, family)).toList();
	}

	static String encode(Pool pool) {
		StringBuilder line = new StringBuilder();
		for (Family family : Family.values()) {
			BlockSpace space = pool.space(family);
			if (!line.isEmpty()) {
				line.append(' ');
			}
			line.append(space.isEmpty() ? "-" : String.join(",", space.cidrs())).append(' ').append(space.maskSize());
		}
		return line.toString();
	}

	static Pool decode(String name, String definition) {
		String[] fields = definition.split(" ");
		if (fields.length != 4) {
			throw new IllegalArgumentException("expected 4 fields, found " + fields.length);
		}
		return Pool.of(name, cidrs(fields[0]), Integer.parseInt(fields[1]), cidrs(fields[2]),
				Integer.parseInt(fields[3]));
	}

	private static List<String> cidrs(String field) {
		return "-".equals(field) ? List.of() : List.of(field.split(","));
	}

	/**
	 * Stored pools at one version.
	 *
	 * @param version the store's version of the definitions
	 * @param pools pools by name
	 * @param definitions stored definition text by name (what guards a claim)
	 */
	record Snapshot(long version, Map<String, Pool> pools, Map<String, String> definitions) {

		BlockStore.PoolGuard guard(String pool) {
			return new BlockStore.PoolGuard(pool, this.definitions.get(pool));
		}

	}

}
