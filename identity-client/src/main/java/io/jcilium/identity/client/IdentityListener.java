package io.jcilium.identity.client;

import io.jcilium.common.label.Labels;

/**
 * Told about every change of the {@link IdentityCache}, in order, one call at a time.
 * Reserved identities are not announced: they are fixed and answered locally.
 */
public interface IdentityListener {

	/**
	 * The identity is new, or its labels changed.
	 * @param id the numeric identity
	 * @param labels its labels
	 */
	void upsert(long id, Labels labels);

	/**
	 * The identity is gone (freed by the service's garbage collector, or missing from a
	 * new snapshot).
	 * @param id the numeric identity
	 */
	void delete(long id);

}
