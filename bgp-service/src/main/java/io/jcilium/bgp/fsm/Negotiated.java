package io.jcilium.bgp.fsm;

import java.util.Set;

import io.jcilium.bgp.wire.AddressFamily;
import io.jcilium.bgp.wire.OpenMessage;
import io.jcilium.bgp.wire.SessionCodecOptions;

/**
 * What two OPENs agreed on.
 *
 * @param peerOpen the neighbour's OPEN
 * @param families the families both offered (RFC 4760 section 8)
 * @param holdTimeSeconds the smaller of both hold times (RFC 4271 section 4.2)
 * @param codecOptions how UPDATEs are read and written on this session
 * @param keepaliveSeconds how often we send KEEPALIVE, 0 for never (hold time 0); see
 * {@link #keepalive}
 */
public record Negotiated(OpenMessage peerOpen, Set<AddressFamily> families, int holdTimeSeconds,
		SessionCodecOptions codecOptions, int keepaliveSeconds) {

	public Negotiated {
		families = Set.copyOf(families);
	}

	/**
	 * The keepalive interval of a session, as GoBGP (upstream's speaker) applies
	 * {@code keepAliveTimeSeconds}: the configured interval, unless the neighbour lowered
	 * the hold time below ours, when it is at most a third of the negotiated hold time
	 * (the interval RFC 4271 section 10 suggests; a longer one would let the neighbour's
	 * hold timer run out between two keepalives). Nothing configured: a third.
	 * @param configuredSeconds the configured interval, 0 for none
	 * @param proposedHoldSeconds the hold time we proposed
	 * @param negotiatedHoldSeconds the smaller of both hold times
	 * @return seconds between our KEEPALIVEs, 0 when the hold time is 0 (none are sent)
	 */
	public static int keepalive(int configuredSeconds, int proposedHoldSeconds, int negotiatedHoldSeconds) {
		if (negotiatedHoldSeconds == 0) {
			return 0;
		}
		int third = negotiatedHoldSeconds / 3;
		if (configuredSeconds <= 0 || configuredSeconds >= negotiatedHoldSeconds
				|| negotiatedHoldSeconds < proposedHoldSeconds) {
			return (configuredSeconds > 0) ? Math.min(configuredSeconds, third) : third;
		}
		return configuredSeconds;
	}

}
