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
 * @param labelPatterns label patterns on top of upstream's defaults, as Cilium's
 * {@code --labels} option ({@code [source:][!]regex}, e.g. {@code k8s:!job-name}); the
 * agents must use the same ones
 */
@ConfigurationProperties("jcilium.identity.allocation")
record AllocationProperties(@DefaultValue("256") int minId, @DefaultValue("65535") int maxId,
		@DefaultValue("60s") Duration leaseTtl, @DefaultValue("60s") Duration gcInterval,
		@DefaultValue("5s") Duration cacheSyncInterval, List<String> labelPatterns) {

	AllocationProperties {
		labelPatterns = (labelPatterns != null) ? List.copyOf(labelPatterns) : List.of();
	}

}
