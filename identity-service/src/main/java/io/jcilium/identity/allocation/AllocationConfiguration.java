package io.jcilium.identity.allocation;

import io.jcilium.common.label.LabelFilter;

import io.jcilium.jobs.metrics.JobMetrics;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the allocator over whatever {@link IdentityStore} the application provides (Redis
 * in production), its garbage collector, background jobs and metrics.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AllocationProperties.class)
class AllocationConfiguration {

	@Bean
	IdentityCache identityCache() {
		return new IdentityCache();
	}

	@Bean
	AllocationMetrics identityAllocationMetrics(IdentityCache identityCache) {
		return new AllocationMetrics(identityCache::size);
	}

	@Bean
	IdentityAllocator identityAllocator(IdentityStore identityStore, IdentityCache identityCache,
			AllocationMetrics identityAllocationMetrics, AllocationProperties properties) {
		return new IdentityAllocator(identityStore, LabelFilter.withPatterns(properties.labelPatterns()),
				new LabelLimits(properties.maxLabels(), properties.maxLabelLength()),
				new IdRange(properties.minId(), properties.maxId()), properties.leaseTtl(), identityCache,
				identityAllocationMetrics);
	}

	@Bean
	IdentityGarbageCollector identityGarbageCollector(IdentityStore identityStore, IdentityCache identityCache,
			AllocationMetrics identityAllocationMetrics) {
		return new IdentityGarbageCollector(identityStore, identityCache, identityAllocationMetrics);
	}

	@Bean
	AllocationJobs identityAllocationJobs(IdentityAllocator identityAllocator,
			IdentityGarbageCollector identityGarbageCollector, IdentityStore identityStore,
			AllocationProperties properties) {
		return new AllocationJobs(identityAllocator, identityGarbageCollector, identityStore, properties);
	}

	@Bean
	JobMetrics identityAllocationJobMetrics(AllocationJobs identityAllocationJobs) {
		return new JobMetrics(identityAllocationJobs.jobs());
	}

}
