package io.jcilium.agent.service.lb;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

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
	 * Ids that could still be handed out.
	 * @return free ids
	 */
	int available() {
		return this.max - this.ids.size();
	}

	int inUse() {
		return this.ids.size();
	}

}
