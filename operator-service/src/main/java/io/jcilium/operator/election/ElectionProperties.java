package io.jcilium.operator.election;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Leader election settings ({@code jcilium.operator.election.*}).
 *
 * @param enabled whether to elect a leader at all; when off this replica always leads (a
 * single-replica or development setup)
 * @param namespace the Lease's namespace
 * @param leaseName the Lease's name
 * @param identity this replica's identity; empty means the host name (the pod name in a
 * cluster)
 * @param leaseDurationSeconds how long a Lease stays valid without renewal; the failover
 * time after a leader dies
 * @param renewDeadlineSeconds how long the leader keeps trying to renew before giving up
 * leadership
 * @param retryPeriodMillis how often candidates try to acquire and the leader renews
 * @param releaseOnStop whether a leader shutting down releases the Lease at once
 */
@ConfigurationProperties("jcilium.operator.election")
public record ElectionProperties(@DefaultValue("true") boolean enabled, @DefaultValue("kube-system") String namespace,
		@DefaultValue("jcilium-operator-resource-lock") String leaseName, @DefaultValue("") String identity,
		@DefaultValue("15") int leaseDurationSeconds, @DefaultValue("10") int renewDeadlineSeconds,
		@DefaultValue("2000") long retryPeriodMillis, @DefaultValue("true") boolean releaseOnStop) {

	public ElectionProperties {
		if (renewDeadlineSeconds >= leaseDurationSeconds) {
			throw new IllegalArgumentException("jcilium.operator.election.renew-deadline-seconds ("
					+ renewDeadlineSeconds + ") must be less than lease-duration-seconds (" + leaseDurationSeconds
					+ "), or two replicas could lead at once");
		}
	}

}
