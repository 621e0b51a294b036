package io.jcilium.identity.allocation;

import java.util.Collection;
import java.util.List;

/**
 * Turns the labels a client sends into the canonical, sorted, security-relevant form an
 * identity is keyed by. An interface so that the shared label model of {@code common} can
 * take over with one change.
 */
interface LabelCanonicaliser {

	/**
	 * Returns the canonical labels.
	 * @param labels labels as sent, each {@code source:key=value} or {@code source:key}
	 * @return the canonical labels, sorted, duplicates and noise removed, never empty
	 * @throws InvalidIdentityRequestException naming the problem when a label is
	 * malformed or nothing security-relevant remains
	 */
	List<String> canonicalise(Collection<String> labels);

}
