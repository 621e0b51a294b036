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
 * @param maxLabels most labels in one allocation request
 * @param maxLabelLength most characters in one label
 * @param maxIdentitiesPerNode most identities one node may refer to (0: no limit); an
 * allocation past it is refused with RESOURCE_EXHAUSTED
 * @param maxIdentitiesPerNamespace most identities whose labels name one namespace (0: no
 * limit); a new label set past it is refused with RESOURCE_EXHAUSTED, while label sets
 * that have an identity keep getting it. A guard against a label that makes identities
 * multiply (a per-pod unique label), which would otherwise use up the cluster's range
 */
@ConfigurationProperties("jcilium.identity.allocation")
public record AllocationProperties(@DefaultValue("256") int minId, @DefaultValue("65535") int maxId,
		@DefaultValue("60s") Duration leaseTtl, @DefaultValue("60s") Duration gcInterval,
		@DefaultValue("5s") Duration cacheSyncInterval, List<String> labelPatterns, @DefaultValue("64") int maxLabels,
		@DefaultValue("512") int maxLabelLength, @DefaultValue("1024") int maxIdentitiesPerNode,
		@DefaultValue("4096") int maxIdentitiesPerNamespace) {

	public AllocationProperties {
		labelPatterns = (labelPatterns != null) ? List.copyOf(labelPatterns) : List.of();
	}

}
