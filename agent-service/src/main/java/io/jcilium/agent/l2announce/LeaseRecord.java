package io.jcilium.agent.l2announce;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * What an election reads and writes of a {@code coordination.k8s.io/v1} Lease, in
 * upstream's fields; times are kept to the microsecond, as the API server's
 * {@code MicroTime} stores them, so a record read back equals the one written.
 *
 * @param holderIdentity the node holding the Lease, or {@code null} when released
 * @param leaseDurationSeconds how long the holder's renewal holds
 * @param acquireTime when the current holder took the Lease
 * @param renewTime when the holder last renewed it (its own clock: candidates measure
 * expiry on theirs, from when they saw the record change)
 * @param leaseTransitions how often the holder changed
 * @param resourceVersion the API server's version of this record, for optimistic
 * concurrency; {@code null} for a record not yet written
 */
record LeaseRecord(String holderIdentity, int leaseDurationSeconds, Instant acquireTime, Instant renewTime,
		int leaseTransitions, String resourceVersion) {

	LeaseRecord {
		acquireTime = micros(acquireTime);
		renewTime = micros(renewTime);
	}

	/**
	 * @return whether a node holds the Lease (a released Lease has no holder)
	 */
	boolean held() {
		return this.holderIdentity != null && !this.holderIdentity.isEmpty();
	}

	/**
	 * @param identity a candidate
	 * @return whether that candidate holds the Lease
	 */
	boolean heldBy(String identity) {
		return identity.equals(this.holderIdentity);
	}

	/**
	 * The record a candidate writes to take or renew the Lease: a renewal keeps the
	 * acquire time and transition count, a takeover starts a new term.
	 * @param identity the candidate
	 * @param durationSeconds the candidate's lease duration
	 * @param now the candidate's clock
	 * @return the record to write over this one (same resource version)
	 */
	LeaseRecord takenBy(String identity, int durationSeconds, Instant now) {
		boolean renewal = heldBy(identity);
		return new LeaseRecord(identity, durationSeconds, renewal ? this.acquireTime : now, now,
				renewal ? this.leaseTransitions : this.leaseTransitions + 1, this.resourceVersion);
	}

	/**
	 * As client-go's {@code ReleaseOnCancel}: no holder and a one-second duration, so the
	 * next candidate need not wait out the full duration.
	 * @param now the releasing holder's clock
	 * @return the record to write over this one (same resource version)
	 */
	LeaseRecord released(Instant now) {
		return new LeaseRecord(null, 1, now, now, this.leaseTransitions, this.resourceVersion);
	}

	/**
	 * @param other another record, or {@code null}
	 * @return whether both say the same (the resource version aside): a candidate
	 * restarts its expiry countdown only when the record changed
	 */
	boolean sameContent(LeaseRecord other) {
		return other != null && Objects.equals(this.holderIdentity, other.holderIdentity)
				&& this.leaseDurationSeconds == other.leaseDurationSeconds
				&& Objects.equals(this.acquireTime, other.acquireTime)
				&& Objects.equals(this.renewTime, other.renewTime) && this.leaseTransitions == other.leaseTransitions;
	}

	/**
	 * @param holder the first holder
	 * @param durationSeconds its lease duration
	 * @param now its clock
	 * @return the record that creates the Lease
	 */
	static LeaseRecord created(String holder, int durationSeconds, Instant now) {
		return new LeaseRecord(holder, durationSeconds, now, now, 0, null);
	}

	private static Instant micros(Instant time) {
		return (time != null) ? time.truncatedTo(ChronoUnit.MICROS) : null;
	}

}
