package io.jcilium.agent.cidr;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.jcilium.common.identity.NumericIdentity;
import io.jcilium.common.net.Cidr;
import io.jcilium.common.policy.model.Identity;

/**
 * Node-local CIDR identities, one per prefix, as upstream's local identity allocator
 * hands them out: numbers in the local scope ({@code 1 << 24}), from 16777217 up, the
 * next number after the last one given, wrapping around and skipping those in use. A
 * released number is thus not given again at once, so a conntrack entry or a flow that
 * still names it does not suddenly mean another prefix. Not thread-safe: its owner
 * serializes calls.
 */
final class CidrIdentityAllocator {

	/** Local identity indexes run from 1 to this. */
	static final long MAX_INDEX = NumericIdentity.LOCAL_SCOPE - 1;

	private final Map<Cidr, Identity> byPrefix = new TreeMap<>();

	private final Set<Long> inUse = new HashSet<>();

	private final long maxIndex;

	private long nextIndex = 1;

	CidrIdentityAllocator() {
		this(MAX_INDEX);
	}

	/**
	 * An allocator with a smaller number space (tests of the wrap-around).
	 * @param maxIndex the highest local identity index handed out
	 */
	CidrIdentityAllocator(long maxIndex) {
		this.maxIndex = maxIndex;
	}

	/**
	 * Make the prefixes with identities exactly the given ones.
	 * @param required the prefixes the rules in force need
	 * @return the identities given to new prefixes and those of prefixes no longer needed
	 * @throws IllegalStateException if the local number space is exhausted (nothing is
	 * changed then)
	 */
	Change sync(Collection<Cidr> required) {
		Set<Cidr> wanted = new HashSet<>(required);
		long free = this.maxIndex - this.inUse.size();
		long missing = wanted.stream().filter((prefix) -> !this.byPrefix.containsKey(prefix)).count();
		long leaving = this.byPrefix.keySet().stream().filter((prefix) -> !wanted.contains(prefix)).count();
		if (missing > free + leaving) {
			throw new IllegalStateException("the rules need " + missing + " new CIDR identities but only "
					+ (free + leaving) + " local identity numbers are free");
		}
		List<Identity> released = new ArrayList<>();
		this.byPrefix.entrySet().removeIf((entry) -> {
			if (wanted.contains(entry.getKey())) {
				return false;
			}
			released.add(entry.getValue());
			return true;
		});
		released.forEach((identity) -> this.inUse.remove(identity.id()));
		List<Identity> added = new ArrayList<>();
		for (Cidr prefix : new TreeSet<>(wanted)) {
			if (!this.byPrefix.containsKey(prefix)) {
				Identity identity = Identity.cidr(nextFree(), prefix);
				this.byPrefix.put(prefix, identity);
				this.inUse.add(identity.id());
				added.add(identity);
			}
		}
		return new Change(List.copyOf(added), List.copyOf(released));
	}

	/**
	 * The identities now given out.
	 * @return prefix to identity, sorted by prefix
	 */
	Map<Cidr, Identity> identities() {
		return new TreeMap<>(this.byPrefix);
	}

	private long nextFree() {
		while (true) {
			long id = NumericIdentity.local(this.nextIndex);
			this.nextIndex = (this.nextIndex >= this.maxIndex) ? 1 : this.nextIndex + 1;
			if (!this.inUse.contains(id)) {
				return id;
			}
		}
	}

	/**
	 * What one sync changed.
	 *
	 * @param added identities of prefixes that had none
	 * @param released identities of prefixes no longer needed
	 */
	record Change(List<Identity> added, List<Identity> released) {

	}

}
