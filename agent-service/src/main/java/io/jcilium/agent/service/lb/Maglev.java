package io.jcilium.agent.service.lb;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Maglev consistent hashing (Eisenbud et al., "Maglev: A Fast and Reliable Software
 * Network Load Balancer", NSDI 2016, section 3.4), as upstream's {@code pkg/maglev}: a
 * lookup table of M slots (M prime) filled from each backend's own permutation of the
 * slots, so every backend gets about M / N slots and removing one backend moves few slots
 * of the others.
 * <p>
 * The table depends only on the backends' addresses (sorted, hashed with fixed seeds),
 * never on the order they arrive in or on node-local ids: every node computes the same
 * table, and the datapath hashes a connection's tuple with the same fixed seed, so a
 * connection goes to the same backend whichever node it enters by. Plain Java.
 */
public final class Maglev {

	/** Upstream's smallest supported table size. */
	public static final int MIN_TABLE_SIZE = 251;

	/** Upstream's largest supported table size. */
	public static final int MAX_TABLE_SIZE = 131071;

	/** Upstream's default ({@code bpf-lb-maglev-table-size}). */
	public static final int DEFAULT_TABLE_SIZE = 16381;

	private static final long OFFSET_SEED = 0x6a63696c69756d31L;

	private static final long SKIP_SEED = 0x6d61676c65763230L;

	private Maglev() {
	}

	/**
	 * Whether M can be a table size: a prime in the supported range.
	 * @param size the candidate
	 * @return true if usable
	 */
	public static boolean isValidTableSize(int size) {
		return size >= MIN_TABLE_SIZE && size <= MAX_TABLE_SIZE && BigInteger.valueOf(size).isProbablePrime(30);
	}

	/**
	 * The lookup table.
	 * @param backends the service's backends (any order, no duplicates)
	 * @param size M, see {@link #isValidTableSize(int)}
	 * @return M entries, each one of the backends; empty when there is no backend
	 */
	public static List<L4Address> table(Collection<L4Address> backends, int size) {
		if (!isValidTableSize(size)) {
			throw new IllegalArgumentException("Maglev table size must be a prime between " + MIN_TABLE_SIZE + " and "
					+ MAX_TABLE_SIZE + ", got " + size);
		}
		List<L4Address> sorted = backends.stream()
			.distinct()
			.sorted(Comparator.comparing(L4Address::toString))
			.toList();
		int n = sorted.size();
		if (n == 0) {
			return List.of();
		}
		long[] offset = new long[n];
		long[] skip = new long[n];
		for (int i = 0; i < n; i++) {
			long hash = fnv1a(sorted.get(i).toString().getBytes(StandardCharsets.UTF_8));
			offset[i] = Long.remainderUnsigned(mix(hash ^ OFFSET_SEED), size);
			skip[i] = Long.remainderUnsigned(mix(hash ^ SKIP_SEED), size - 1) + 1;
		}
		int[] owner = new int[size];
		java.util.Arrays.fill(owner, -1);
		long[] next = new long[n];
		int filled = 0;
		while (true) {
			for (int i = 0; i < n; i++) {
				int slot = (int) ((offset[i] + next[i] * skip[i]) % size);
				while (owner[slot] >= 0) {
					next[i]++;
					slot = (int) ((offset[i] + next[i] * skip[i]) % size);
				}
				owner[slot] = i;
				next[i]++;
				if (++filled == size) {
					L4Address[] table = new L4Address[size];
					for (int s = 0; s < size; s++) {
						table[s] = sorted.get(owner[s]);
					}
					return List.of(table);
				}
			}
		}
	}

	private static long fnv1a(byte[] bytes) {
		long hash = 0xcbf29ce484222325L;
		for (byte b : bytes) {
			hash ^= (b & 0xff);
			hash *= 0x100000001b3L;
		}
		return hash;
	}

	/** SplitMix64's finalizer: spreads FNV's weak low bits over the whole word. */
	private static long mix(long z) {
		z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
		z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
		return z ^ (z >>> 31);
	}

}
