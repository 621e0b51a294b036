package io.jcilium.agent.datapath.maps;

/**
 * Direction of traffic relative to an endpoint, as the policy map and metrics encode it.
 */
public enum TrafficDirection {

	/** Into the endpoint (to-container); policy by source identity. */
	INGRESS(0, 1),

	/** Out of the endpoint (from-container); policy by destination identity. */
	EGRESS(1, 2);

	private final int policyCode;

	private final int metricCode;

	TrafficDirection(int policyCode, int metricCode) {
		this.policyCode = policyCode;
		this.metricCode = metricCode;
	}

	/**
	 * The {@code policy_key.egress} value.
	 * @return 0 or 1
	 */
	public int policyCode() {
		return this.policyCode;
	}

	/**
	 * The {@code metrics_key.dir} value (upstream METRIC_INGRESS/EGRESS).
	 * @return 1 or 2
	 */
	public int metricCode() {
		return this.metricCode;
	}

	/**
	 * Decodes {@code metrics_key.dir}.
	 * @param code 1 or 2
	 * @return the direction
	 */
	public static TrafficDirection fromMetricCode(int code) {
		for (TrafficDirection direction : values()) {
			if (direction.metricCode == code) {
				return direction;
			}
		}
		throw new IllegalArgumentException("unknown metrics direction " + code);
	}

}
