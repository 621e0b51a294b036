package io.jcilium.identity.allocation;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Identity allocation settings.
 *
 * @param minId lowest cluster-local identity
 * @param maxId highest cluster-local identity
 * @param leaseTtl how long a node's references live without a heartbeat or allocation
 * @param gcInterval time between garbage-collection passes (an unused identity is freed
 * after two)
 * @param cacheSyncInterval time between checks that the local cache missed no change
 * @param ignoredLabelKeys {@code k8s} label keys that carry no security meaning
 */
@ConfigurationProperties("jcilium.identity.allocation")
record AllocationProperties(@DefaultValue("256") int minId, @DefaultValue("65535") int maxId,
		@DefaultValue("60s") Duration leaseTtl, @DefaultValue("60s") Duration gcInterval,
		@DefaultValue("5s") Duration cacheSyncInterval, List<String> ignoredLabelKeys) {

	AllocationProperties {
		ignoredLabelKeys = (ignoredLabelKeys != null) ? List.copyOf(ignoredLabelKeys)
				: SourceKeyValueLabels.DEFAULT_IGNORED_KEYS;
	}

}
