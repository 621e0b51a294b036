package io.jcilium.bgp.wire;

import java.util.Map;

/**
 * The graceful restart capability (RFC 4724 section 3).
 *
 * @param restarting the Restart State bit: the sender has just restarted
 * @param restartTimeSeconds how long the receiver should keep the sender's routes after
 * the session goes down (12 bits)
 * @param forwardingPreserved per family, whether the sender kept its forwarding state
 */
public record GracefulRestart(boolean restarting, int restartTimeSeconds,
		Map<AddressFamily, Boolean> forwardingPreserved) {

	/** The largest restart time the 12-bit field holds. */
	public static final int MAX_RESTART_TIME_SECONDS = 4095;

	public GracefulRestart {
		forwardingPreserved = Map.copyOf(forwardingPreserved);
	}

}
