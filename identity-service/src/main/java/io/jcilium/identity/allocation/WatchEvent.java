package io.jcilium.identity.allocation;

/**
 * What a watcher of the identity table is told.
 *
 * @param kind the kind of event
 * @param identity the identity, {@code null} for {@link Kind#SYNCED}
 */
public record WatchEvent(Kind kind, Identity identity) {

	static final WatchEvent SYNCED = new WatchEvent(Kind.SYNCED, null);

	/** The kind of event. */
	public enum Kind {

		/** The identity exists (sent for the snapshot and for every new identity). */
		UPSERT,
		/** The identity was freed. */
		DELETE,
		/** The snapshot is complete; every later event is a change. */
		SYNCED

	}

}
