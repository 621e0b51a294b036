package io.jcilium.agent.service.lb;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Numeric ids for values (backend ids, rev NAT indexes), 1..max, each counted by its
 * users: an id is handed out on the first use of a value and freed when its last user
 * lets go. Freed ids are reused last-freed-last, so an id just released is not at once
 * someone else's.
 *
 * @param <T> the value type
 */
final class IdPool<T> {

	private final String what;

	private final int max;

	private final Map<T, Integer> ids = new HashMap<>();

	private final Map<T, Integer> users = new HashMap<>();

	private final Deque<Integer> freed = new ArrayDeque<>();

	private int next = 1;

	private int withheld;

	IdPool(String what, int max) {
		this.what = what;
		this.max = max;
	}

	Optional<Integer> find(T value) {
		return Optional.ofNullable(this.ids.get(value));
	}

	/**
	 * The id of a value, allocating one if it has none (no user is counted yet).
	 * @param value the value
	 * @return the id
	 */
	int idOf(T value) {
		Integer id = this.ids.get(value);
		if (id != null) {
			return id;
		}
		int allocated;
		if (!this.freed.isEmpty()) {
			allocated = this.freed.removeFirst();
		}
		else if (this.next <= this.max) {
			allocated = this.next++;
		}
		else {
			throw new LbMapFullException("no free " + this.what + " id: all " + this.max + " are in use");
		}
		this.ids.put(value, allocated);
		return allocated;
	}

	void retain(T value) {
		this.users.merge(value, 1, Integer::sum);
	}

	/**
	 * Drops one user; the id is freed when none is left.
	 * @param value the value
	 * @return the freed id, if this was the last user
	 */
	Optional<Integer> release(T value) {
		Integer left = this.users.merge(value, -1, Integer::sum);
		if (left != null && left > 0) {
			return Optional.empty();
		}
		this.users.remove(value);
		Integer id = this.ids.remove(value);
		if (id != null) {
			this.freed.addLast(id);
		}
		return Optional.ofNullable(id);
	}

	/**
	 * Takes over the ids the maps already hold (a restarted agent), before any other use:
	 * each value keeps its id, with no user counted yet. A second id of one value, or an
	 * id out of range, is returned as stale: it is handed to nobody until {@link #free}.
	 * @param held id -> value, as read from a map
	 * @param strays ids the map holds for no known value, also stale
	 * @return the stale ids
	 */
	List<Integer> adopt(Map<Integer, T> held, Collection<Integer> strays) {
		if (!this.ids.isEmpty() || this.next != 1) {
			throw new IllegalStateException("the " + this.what + " ids are in use already");
		}
		List<Integer> stale = new ArrayList<>();
		Set<Integer> taken = new HashSet<>();
		int highest = 0;
		for (Map.Entry<Integer, T> entry : new TreeMap<>(held).entrySet()) {
			int id = entry.getKey();
			if (id < 1 || id > this.max) {
				stale.add(id);
				continue;
			}
			taken.add(id);
			highest = Math.max(highest, id);
			if (this.ids.putIfAbsent(entry.getValue(), id) != null) {
				stale.add(id);
				this.withheld++;
			}
		}
		for (int id : strays) {
			stale.add(id);
			if (id >= 1 && id <= this.max && taken.add(id)) {
				highest = Math.max(highest, id);
				this.withheld++;
			}
		}
		for (int id = 1; id <= highest; id++) {
			if (!taken.contains(id)) {
				this.freed.addLast(id);
			}
		}
		this.next = highest + 1;
		return stale;
	}

	/**
	 * Hands a stale id out again, once its entry is deleted.
	 * @param id an id {@link #adopt} returned
	 */
	void free(int id) {
		if (id >= 1 && id <= this.max) {
			this.withheld--;
			this.freed.addLast(id);
		}
	}

	/**
	 * Frees the ids of every value without a user (adopted values nothing took over).
	 * @return the freed ids
	 */
	List<Integer> releaseUnused() {
		List<Integer> released = new ArrayList<>();
		this.ids.entrySet().removeIf((entry) -> {
			if (this.users.containsKey(entry.getKey())) {
				return false;
			}
			released.add(entry.getValue());
			return true;
		});
		this.freed.addAll(released);
		return released;
	}

	/**
	 * Ids that could still be handed out.
	 * @return free ids
	 */
	int available() {
		return this.max - this.ids.size() - this.withheld;
	}

	int inUse() {
		return this.ids.size();
	}

}
