package io.jcilium.agent.l2announce;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of L2 announcements under {@code jcilium.agent.l2-announcements}, with
 * upstream's defaults ({@code --l2-announcements-lease-duration} 15 s,
 * {@code --l2-announcements-renew-deadline} 5 s, {@code --l2-announcements-retry-period}
 * 2 s).
 *
 * @param enabled whether this agent announces at all (upstream: off by default)
 * @param leaseDuration how long a Lease holds without renewal: the longest a dead
 * announcer's addresses stay unanswered
 * @param renewDeadline how long the holder keeps retrying a renewal before it gives the
 * service up
 * @param retryPeriod how often candidates try to take or renew a Lease
 * @param leaseNamespace where the Leases live (upstream: the agent's own namespace)
 * @param releaseOnStop whether a stopping agent releases its Leases, so another node
 * takes over at once instead of after {@code leaseDuration}
 * @param resync how often the whole announcement state is recomputed without an event
 * @param xdpMode how the responder attaches: {@code generic} works on every device, veth
 * included; {@code native} is the fast path of physical NICs
 */
@ConfigurationProperties("jcilium.agent.l2-announcements")
public record L2AnnouncementProperties(@DefaultValue("false") boolean enabled,
		@DefaultValue("15s") Duration leaseDuration, @DefaultValue("5s") Duration renewDeadline,
		@DefaultValue("2s") Duration retryPeriod, @DefaultValue("kube-system") String leaseNamespace,
		@DefaultValue("true") boolean releaseOnStop, @DefaultValue("30s") Duration resync,
		@DefaultValue("generic") XdpMode xdpMode) {

	public L2AnnouncementProperties {
		// client-go's leader election refuses the same combinations: a holder must be
		// able to retry within its deadline, and give up before its Lease runs out.
		if (retryPeriod.isNegative() || retryPeriod.isZero() || retryPeriod.compareTo(renewDeadline) >= 0) {
			throw new IllegalArgumentException("jcilium.agent.l2-announcements.retry-period (" + retryPeriod
					+ ") must be positive and shorter than renew-deadline (" + renewDeadline + ")");
		}
		if (renewDeadline.compareTo(leaseDuration) >= 0) {
			throw new IllegalArgumentException("jcilium.agent.l2-announcements.renew-deadline (" + renewDeadline
					+ ") must be shorter than lease-duration (" + leaseDuration + ")");
		}
	}

	/**
	 * Upstream's defaults, announcing.
	 * @return the settings
	 */
	public static L2AnnouncementProperties defaults() {
		return new L2AnnouncementProperties(true, Duration.ofSeconds(15), Duration.ofSeconds(5), Duration.ofSeconds(2),
				"kube-system", true, Duration.ofSeconds(30), XdpMode.GENERIC);
	}

}
