package io.jcilium.common.identity;

/**
 * Facts about numeric security identities, as upstream lays out the 32-bit space:
 * reserved identities below 256, cluster-wide identities from 256 (with the cluster ID in
 * bits 16-23 for cluster mesh), and node-local identities (CIDR, FQDN) scoped by the top
 * byte.
 */
public final class NumericIdentity {

	/** The identity meaning "any peer" in policy map keys. */
	public static final long ANY = 0;

	/** Highest number kept for reserved identities. */
	public static final long MAX_RESERVED = 255;

	/** First cluster-wide identity the allocator hands out (upstream's default). */
	public static final long MIN_CLUSTER_LOCAL = 256;

	/** Last cluster-wide identity of cluster 0 (upstream's default range end). */
	public static final long MAX_CLUSTER_LOCAL = 65535;

	/**
	 * The scope bits of node-local identities such as CIDR identities (upstream's 1
	 * &lt;&lt; 24).
	 */
	public static final long LOCAL_SCOPE = 1L << 24;

	/**
	 * The scope bits of remote-node identities when they are per node (2 &lt;&lt; 24).
	 */
	public static final long REMOTE_NODE_SCOPE = 2L << 24;

	/** The mask selecting the scope byte. */
	public static final long SCOPE_MASK = 0xFF000000L;

	/** The largest identity number (32 bits). */
	public static final long MAX = 0xFFFFFFFFL;

	private NumericIdentity() {
	}

	/**
	 * Whether the identity is one of the reserved identities 1-10.
	 * @param id a numeric identity
	 * @return whether it is reserved
	 */
	public static boolean isReserved(long id) {
		return ReservedIdentity.fromId(id).isPresent();
	}

	/**
	 * Whether the identity is in the reserved range (1-255), known or not.
	 * @param id a numeric identity
	 * @return whether it is below 256 and not 0
	 */
	public static boolean isInReservedRange(long id) {
		return id > 0 && id <= MAX_RESERVED;
	}

	/**
	 * Whether the identity is node-local (CIDR, FQDN): its scope byte is
	 * {@link #LOCAL_SCOPE}.
	 * @param id a numeric identity
	 * @return whether it is a local identity
	 */
	public static boolean isLocal(long id) {
		return (id & SCOPE_MASK) == LOCAL_SCOPE;
	}

	/**
	 * Whether the identity is a CIDR identity; CIDR identities are the node-local ones.
	 * @param id a numeric identity
	 * @return whether it is a CIDR identity
	 */
	public static boolean isCidr(long id) {
		return isLocal(id);
	}

	/**
	 * Whether the identity is cluster-wide (allocated by the identity service, any
	 * cluster ID).
	 * @param id a numeric identity
	 * @return whether it is a global identity
	 */
	public static boolean isClusterWide(long id) {
		return id >= MIN_CLUSTER_LOCAL && (id & SCOPE_MASK) == 0;
	}

	/**
	 * The n-th local identity (n from 1), for the local CIDR identity allocator.
	 * @param n index of the local identity
	 * @return the identity number
	 */
	public static long local(long n) {
		if (n < 1 || n >= LOCAL_SCOPE) {
			throw new IllegalArgumentException("local identity index " + n + " must be from 1 to " + (LOCAL_SCOPE - 1));
		}
		return LOCAL_SCOPE | n;
	}

	/**
	 * Check an identity number for the cluster-wide allocation range.
	 * @param id the number
	 * @param min the range start, at least 256
	 * @param max the range end
	 * @return the number
	 * @throws IllegalArgumentException naming the number and the range
	 */
	public static long requireInRange(long id, long min, long max) {
		if (id < min || id > max) {
			throw new IllegalArgumentException(
					"identity " + id + " is outside the allocation range " + min + "-" + max);
		}
		return id;
	}

}
