package io.jcilium.identity.allocation;

import java.util.List;

/**
 * A security identity: the number shared by every endpoint with the same
 * security-relevant labels.
 *
 * @param id the numeric identity
 * @param labels canonical sorted labels, each {@code source:key=value}
 * @param reserved whether this is one of the reserved identities 1-10
 */
public record Identity(int id, List<String> labels, boolean reserved) {

	public Identity {
		labels = List.copyOf(labels);
	}

}
