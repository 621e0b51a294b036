package io.jcilium.agent.datapath.events;

/**
 * Event types with upstream's {@code CILIUM_NOTIFY_*} numbers.
 */
public enum EventType {

	DROP(1),

	TRACE(4),

	POLICY_VERDICT(5),

	UNKNOWN(0);

	private final int code;

	EventType(int code) {
		this.code = code;
	}

	public int code() {
		return this.code;
	}

	/**
	 * Decodes a type number.
	 * @param code the number
	 * @return the type, {@link #UNKNOWN} if not known
	 */
	public static EventType fromCode(int code) {
		for (EventType type : values()) {
			if (type.code == code) {
				return type;
			}
		}
		return UNKNOWN;
	}

}
