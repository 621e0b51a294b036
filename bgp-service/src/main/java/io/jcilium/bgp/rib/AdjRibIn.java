package io.jcilium.bgp.rib;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

import io.jcilium.bgp.wire.AddressFamily;
import io.jcilium.bgp.wire.PathAttributes;
import io.jcilium.bgp.wire.Prefix;
import io.jcilium.bgp.wire.UpdateMessage;

/**
 * The routes one neighbour advertised to us (RFC 4271 section 3.2 Adj-RIB-In).
 * bgp-service announces and does not install routes, so this serves status and counts.
 * Confined to its peer's thread.
 */
public final class AdjRibIn {

	private final Map<Prefix, PathAttributes> routes = new HashMap<>();

	/**
	 * Applies an UPDATE: withdrawals (treat-as-withdraw included), then announcements.
	 */
	public void apply(UpdateMessage update) {
		for (Prefix prefix : update.unreachable()) {
			this.routes.remove(prefix);
		}
		for (Prefix prefix : update.reachable()) {
			this.routes.put(prefix, update.attributes());
		}
	}

	public void clear() {
		this.routes.clear();
	}

	public boolean contains(Prefix prefix) {
		return this.routes.containsKey(prefix);
	}

	/** Prefixes received, per family. */
	public Map<AddressFamily, Integer> counts() {
		Map<AddressFamily, Integer> counts = new EnumMap<>(AddressFamily.class);
		for (AddressFamily family : AddressFamily.values()) {
			counts.put(family, 0);
		}
		this.routes.keySet().forEach((prefix) -> counts.merge(prefix.family(), 1, Integer::sum));
		return counts;
	}

}
