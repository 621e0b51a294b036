package io.jcilium.agent.datapath.maps;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

import io.jcilium.agent.datapath.libbpf.BpfMap;

/**
 * The node's {@code endpoint_config} map: endpoint id -> the endpoint's settings
 * (identity, host-side ifindex, flags), read by the endpoint's programs on every run. A
 * write here changes what a running program does, with no new load; an endpoint without
 * an entry drops everything (DROP_NO_CONFIG).
 */
public final class EndpointConfigMap {

	private final BpfMap map;

	public EndpointConfigMap(BpfMap map) {
		if (map.keySize() != 4 || map.valueSize() != DatapathStructs.LxcConfig.LAYOUT.sizeBytes()) {
			throw new IllegalArgumentException("map " + map.name() + " has key/value " + map.keySize() + "/"
					+ map.valueSize() + " bytes but endpoint id/struct lxc_config are 4/"
					+ DatapathStructs.LxcConfig.LAYOUT.sizeBytes() + ": the object and the agent are out of step");
		}
		this.map = map;
	}

	/**
	 * Writes an endpoint's settings under its endpoint id (replacing earlier ones).
	 * @param config the settings
	 */
	public void put(DatapathStructs.LxcConfig config) {
		this.map.update(key(config.endpointId()), config.encode(), BpfMap.ANY);
	}

	/**
	 * An endpoint's settings as its programs read them.
	 * @param endpointId the endpoint id
	 * @return the settings, empty when it has none
	 */
	public Optional<DatapathStructs.LxcConfig> get(int endpointId) {
		byte[] value = this.map.lookup(key(endpointId));
		return Optional.ofNullable(value).map(DatapathStructs.LxcConfig::decode);
	}

	/**
	 * Removes an endpoint's settings: its programs, if still attached, drop everything.
	 * @param endpointId the endpoint id
	 * @return whether there were any
	 */
	public boolean remove(int endpointId) {
		return this.map.delete(key(endpointId));
	}

	private static byte[] key(int endpointId) {
		if (endpointId <= 0 || endpointId > 0xffff) {
			throw new IllegalArgumentException("endpoint id must be 1-65535, got " + endpointId);
		}
		return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, endpointId).array();
	}

}
