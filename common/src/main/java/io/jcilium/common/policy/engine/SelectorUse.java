package io.jcilium.common.policy.engine;

import java.util.ArrayList;
import java.util.List;

import io.jcilium.common.policy.model.Direction;

/**
 * One endpoint's use of a peer selector through one rule: the entries it yields for each
 * identity the selector selects (port keys already resolved), and the rule they are
 * derived from.
 *
 * @param endpoint the endpoint identity
 * @param direction the rule's direction
 * @param deny whether the rule denies
 * @param keys the resolved port keys
 * @param rule the rule, shared by every entry of this use
 */
record SelectorUse(long endpoint, Direction direction, boolean deny, List<PortKeys.Key> keys, Derivation.Single rule) {

	List<MapEntry> entries(long peer) {
		List<MapEntry> entries = new ArrayList<>(this.keys.size());
		for (PortKeys.Key key : this.keys) {
			entries.add(new MapEntry(peer, this.direction, key.protocol(), key.port(), key.prefixLength(), this.deny));
		}
		return entries;
	}

}
