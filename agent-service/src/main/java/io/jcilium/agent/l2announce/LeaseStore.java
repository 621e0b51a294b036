package io.jcilium.agent.l2announce;

import java.util.function.BiConsumer;

/**
 * What an election needs of the Lease API ({@link KubernetesLeaseStore} for real): reads,
 * writes that fail with {@link Conflict} when the record changed since it was read, and a
 * watch telling every change as it happens.
 */
interface LeaseStore {

	/**
	 * @param name the Lease
	 * @return the Lease as the API server has it now, or {@code null} when there is none
	 */
	LeaseRecord get(String name);

	/**
	 * @param name the Lease
	 * @param record its first record
	 * @return the record as stored (with its resource version)
	 * @throws Conflict when the Lease exists already
	 */
	LeaseRecord create(String name, LeaseRecord record);

	/**
	 * Replaces the Lease if it is still at {@code record.resourceVersion()}.
	 * @param name the Lease
	 * @param record the new record
	 * @return the record as stored (with its new resource version)
	 * @throws Conflict when the Lease changed since that version
	 */
	LeaseRecord update(String name, LeaseRecord record);

	/**
	 * Tells every Lease of the namespace as it is created, changes or goes away
	 * ({@code null}), until closed.
	 * @param onChange receives the Lease name and its record
	 * @return closes the watch
	 */
	AutoCloseable watch(BiConsumer<String, LeaseRecord> onChange);

	/**
	 * The write lost a race: another candidate wrote the Lease first.
	 */
	final class Conflict extends RuntimeException {

		private static final long serialVersionUID = 1L;

		Conflict(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
