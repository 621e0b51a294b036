package io.jcilium.identity.allocation;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.jcilium.identity.allocation.IdentityStore.StoreSnapshot;
import io.jcilium.identity.allocation.IdentityStore.StoredIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices that the store lost its data or was replaced, and recovers from it. A store
 * without an epoch is seeded with every identity this replica's cache holds (numbers that
 * agents hold keep their labels; allocations are refused until then), and a cache whose
 * epoch is not the store's takes the store's snapshot whole, since revisions of two
 * epochs cannot be compared (a wiped Redis counts revisions from 1 again).
 * <p>
 * The identities seeded have no references until their nodes register them again, which
 * they do when their next heartbeat reports their lease lost; the GC frees those nobody
 * registers, after its two passes.
 */
final class StoreEpochs {

	private static final Logger logger = LoggerFactory.getLogger(StoreEpochs.class);

	private final IdentityStore store;

	private final IdentityCache cache;

	StoreEpochs(IdentityStore store, IdentityCache cache) {
		this.store = store;
		this.cache = cache;
	}

	/**
	 * Seeds a store without epoch and brings a cache of another epoch onto the store's.
	 * @return whether the cache took a new snapshot
	 */
	boolean follow() {
		Optional<String> epoch = this.store.epoch();
		if (epoch.isEmpty()) {
			List<StoredIdentity> known = this.cache.storedIdentities();
			String seeded = this.store.seed(UUID.randomUUID().toString(), known);
			if (this.cache.epoch() != null) {
				logger.warn("The identity store lost its data (epoch {} gone from Redis): seeded epoch {} with the {} "
						+ "identities this replica knew; nodes register their references again on their next heartbeat",
						this.cache.epoch(), seeded, known.size());
			}
			epoch = Optional.of(seeded);
		}
		if (epoch.get().equals(this.cache.epoch())) {
			return false;
		}
		StoreSnapshot snapshot = this.store.snapshot();
		if (this.cache.epoch() != null) {
			logger.warn("The identity store changed epoch from {} to {}: this replica's cache takes its {} identities",
					this.cache.epoch(), snapshot.epoch(), snapshot.identities().size());
		}
		this.cache.replace(snapshot);
		return true;
	}

}
