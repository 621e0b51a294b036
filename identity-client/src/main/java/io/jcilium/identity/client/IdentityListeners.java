package io.jcilium.identity.client;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.jcilium.common.label.Labels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the cache's listeners of its changes, each listener on its own: one that fails is
 * logged and neither keeps the others nor the cache behind.
 */
final class IdentityListeners {

	private static final Logger logger = LoggerFactory.getLogger(IdentityListeners.class);

	private final List<IdentityListener> listeners = new CopyOnWriteArrayList<>();

	/** Adds a listener, first telling it of every identity held now as an upsert. */
	void add(IdentityListener listener, Map<Long, Labels> current) {
		this.listeners.add(listener);
		current.forEach((id, labels) -> tell(listener, new IdentityTable.Change(id, labels)));
	}

	void remove(IdentityListener listener) {
		this.listeners.remove(listener);
	}

	void tellAll(List<IdentityTable.Change> changes) {
		for (IdentityListener listener : this.listeners) {
			for (IdentityTable.Change change : changes) {
				tell(listener, change);
			}
		}
	}

	private static void tell(IdentityListener listener, IdentityTable.Change change) {
		try {
			change.tell(listener);
		}
		catch (RuntimeException ex) {
			logger.warn("identity listener {} failed on identity {}: {}", listener, change.id(), ex.toString(), ex);
		}
	}

}
