package io.jcilium.identity.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.jcilium.common.label.Labels;

/**
 * The identity table itself, indexed both ways, and what each change to it means for
 * listeners. Not thread-safe: {@link IdentityCache}'s monitor guards it.
 */
final class IdentityTable {

	private final Map<Long, Labels> byId = new HashMap<>();

	private final Map<Labels, Long> byLabels = new HashMap<>();

	Labels find(long id) {
		return this.byId.get(id);
	}

	Long findByLabels(Labels labels) {
		return this.byLabels.get(labels);
	}

	Map<Long, Labels> copy() {
		return new TreeMap<>(this.byId);
	}

	int size() {
		return this.byId.size();
	}

	/**
	 * Sets an identity's labels.
	 * @return the change to announce, or {@code null} if the labels were these already
	 */
	Change put(long id, Labels labels) {
		Labels previous = this.byId.put(id, labels);
		if (labels.equals(previous)) {
			return null;
		}
		if (previous != null) {
			this.byLabels.remove(previous, id);
		}
		this.byLabels.put(labels, id);
		return new Change(id, labels);
	}

	/**
	 * Drops an identity.
	 * @return the change to announce, or {@code null} if it was not there
	 */
	Change remove(long id) {
		Labels previous = this.byId.remove(id);
		if (previous == null) {
			return null;
		}
		this.byLabels.remove(previous, id);
		return new Change(id, null);
	}

	/**
	 * Makes the table a snapshot's content. Deletes come before upserts, so that
	 * listeners never see one label set under two numbers; each in the order of numbers.
	 * @return the changes to announce, in order
	 */
	List<Change> replaceWith(Map<Long, Labels> snapshot) {
		List<Change> changes = new ArrayList<>();
		for (Long id : new ArrayList<>(new TreeMap<>(this.byId).keySet())) {
			if (!snapshot.containsKey(id)) {
				changes.add(remove(id));
			}
		}
		new TreeMap<>(snapshot).forEach((id, labels) -> {
			Change change = put(id, labels);
			if (change != null) {
				changes.add(change);
			}
		});
		return changes;
	}

	/**
	 * One change to announce.
	 *
	 * @param id the identity
	 * @param labels its new labels, or {@code null} for a delete
	 */
	record Change(long id, Labels labels) {

		void tell(IdentityListener listener) {
			if (this.labels != null) {
				listener.upsert(this.id, this.labels);
			}
			else {
				listener.delete(this.id);
			}
		}

	}

}
