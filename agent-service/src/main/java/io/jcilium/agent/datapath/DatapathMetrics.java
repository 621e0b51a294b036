package io.jcilium.agent.datapath;

import java.util.Map;
import java.util.function.Supplier;

import io.jcilium.common.datapath.DropReason;
import io.jcilium.agent.datapath.maps.DatapathStructs;
import io.jcilium.agent.datapath.maps.MetricsMap;
import io.jcilium.agent.datapath.maps.TrafficDirection;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Exposes the datapath's per-CPU counters with upstream's metric names
 * ({@code cilium_forward_count_total}, {@code cilium_drop_count_total} by reason and
 * direction) so existing dashboards read them. The map is read at most once per second
 * however many series are scraped.
 */
public class DatapathMetrics implements MeterBinder {

	private static final long CACHE_NANOS = 1_000_000_000L;

	private final Supplier<MetricsMap> metrics;

	private Map<DatapathStructs.MetricsKey, DatapathStructs.MetricsValue> cached = Map.of();

	private long cachedAt;

	private boolean loaded;

	public DatapathMetrics(Supplier<MetricsMap> metrics) {
		this.metrics = metrics;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (TrafficDirection direction : TrafficDirection.values()) {
			String dir = direction.name();
			FunctionCounter.builder("cilium_forward_count", this, (self) -> self.value(0, direction, false))
				.tag("direction", dir)
				.description("Packets forwarded by the datapath")
				.register(registry);
			FunctionCounter.builder("cilium_forward_bytes", this, (self) -> self.value(0, direction, true))
				.tag("direction", dir)
				.baseUnit("bytes")
				.register(registry);
			for (DropReason reason : DropReason.values()) {
				if (reason == DropReason.UNKNOWN) {
					continue;
				}
				FunctionCounter
					.builder("cilium_drop_count", this, (self) -> self.value(reason.code(), direction, false))
					.tag("direction", dir)
					.tag("reason", reason.name())
					.description("Packets dropped by the datapath")
					.register(registry);
			}
		}
	}

	synchronized double value(int reason, TrafficDirection direction, boolean bytes) {
		long now = System.nanoTime();
		// nanoTime has an arbitrary origin: compare only with an earlier reading
		if (!this.loaded || now - this.cachedAt > CACHE_NANOS) {
			MetricsMap map = this.metrics.get();
			this.cached = (map != null) ? map.snapshot() : Map.of();
			this.cachedAt = now;
			this.loaded = true;
		}
		DatapathStructs.MetricsValue value = this.cached
			.get(new DatapathStructs.MetricsKey(reason, direction.metricCode()));
		if (value == null) {
			return 0;
		}
		return bytes ? value.bytes() : value.count();
	}

}
