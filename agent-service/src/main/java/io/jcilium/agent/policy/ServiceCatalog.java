package io.jcilium.agent.policy;

import java.util.Collection;
import java.util.List;

import io.jcilium.common.policy.services.ClusterService;

/**
 * The cluster's services as {@code toServices} rules see them, provided by the service
 * feature. Owned here, the consumer's side, so policy never depends on how services are
 * watched.
 */
public interface ServiceCatalog {

	/**
	 * Every service known now.
	 * @return the services
	 */
	Collection<ClusterService> services();

	/**
	 * Whether the initial listing of services and their endpoints has been seen; until
	 * then a {@code toServices} rule would allow less than it says.
	 * @return whether synced
	 */
	boolean synced();

	/**
	 * Registers a listener called (on the watcher's thread, so it must be quick) after
	 * any service or its endpoints changed.
	 * @param listener the listener
	 */
	void onChange(Runnable listener);

	/**
	 * A catalog for an agent without the service feature: no service, so every
	 * {@code toServices} term selects nothing.
	 * @return the empty catalog
	 */
	static ServiceCatalog none() {
		return new ServiceCatalog() {

			@Override
			public Collection<ClusterService> services() {
				return List.of();
			}

			@Override
			public boolean synced() {
				return true;
			}

			@Override
			public void onChange(Runnable listener) {
			}

		};
	}

}
