package io.jcilium.agent.datapath.maps;

import java.util.LinkedHashMap;
import java.util.Map;

import io.jcilium.agent.datapath.libbpf.BpfMap;

/**
 * The per-CPU datapath counters, summed over CPUs on read.
 */
public final class MetricsMap {

	private final BpfMap map;

	public MetricsMap(BpfMap map) {
		PolicyMap.requireLayout(map, DatapathStructs.MetricsKey.LAYOUT, DatapathStructs.MetricsValue.LAYOUT);
		this.map = map;
	}

	/**
	 * Current totals by reason and direction.
	 * @return the sums
	 */
	public Map<DatapathStructs.MetricsKey, DatapathStructs.MetricsValue> snapshot() {
		Map<DatapathStructs.MetricsKey, DatapathStructs.MetricsValue> totals = new LinkedHashMap<>();
		for (byte[] key : this.map.keys()) {
			DatapathStructs.MetricsValue sum = get(key);
			if (sum != null) {
				totals.put(DatapathStructs.MetricsKey.decode(key), sum);
			}
		}
		return totals;
	}

	/**
	 * Totals for one reason and direction.
	 * @param reason 0 forwarded, else the drop reason number
	 * @param direction the direction
	 * @return the sum (zero if never counted)
	 */
	public DatapathStructs.MetricsValue get(int reason, TrafficDirection direction) {
		DatapathStructs.MetricsValue sum = get(new DatapathStructs.MetricsKey(reason, direction.metricCode()).encode());
		return (sum != null) ? sum : new DatapathStructs.MetricsValue(0, 0);
	}

	private DatapathStructs.MetricsValue get(byte[] key) {
		byte[] perCpu = this.map.lookup(key);
		if (perCpu == null) {
			return null;
		}
		long count = 0;
		long bytes = 0;
		for (int offset = 0; offset + 16 <= perCpu.length; offset += this.map.perCpuStride()) {
			DatapathStructs.MetricsValue value = DatapathStructs.MetricsValue.decode(perCpu, offset);
			count += value.count();
			bytes += value.bytes();
		}
		return new DatapathStructs.MetricsValue(count, bytes);
	}

}
