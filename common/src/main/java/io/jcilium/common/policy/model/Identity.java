package io.jcilium.common.policy.model;

import io.jcilium.common.identity.ReservedIdentity;
import io.jcilium.common.label.Label;
import io.jcilium.common.label.Labels;
import io.jcilium.common.net.Cidr;

/**
 * A security identity as the policy engine sees it: its number, its labels and, for CIDR
 * identities, the prefix it stands for.
 *
 * @param id the numeric identity
 * @param labels the identity's security-relevant labels
 * @param cidr the prefix of a CIDR identity, or {@code null}
 */
public record Identity(long id, Labels labels, Cidr cidr) {

	/**
	 * An identity for labels.
	 * @param id the number
	 * @param labels the labels
	 * @return the identity
	 */
	public static Identity of(long id, Labels labels) {
		return new Identity(id, labels, null);
	}

	/**
	 * A reserved identity with its {@code reserved:} label.
	 * @param reserved the reserved identity
	 * @return the identity
	 */
	public static Identity reserved(ReservedIdentity reserved) {
		return new Identity(reserved.id(), reserved.labels(), null);
	}

	/**
	 * A CIDR identity: labels {@code cidr:<prefix>} and {@code reserved:world}, as
	 * upstream gives CIDR identities the world label so that world-selecting rules cover
	 * them.
	 * @param id a local identity number
	 * @param cidr the prefix
	 * @return the identity
	 */
	public static Identity cidr(long id, Cidr cidr) {
		return new Identity(id,
				Labels.of(new Label(Label.SOURCE_CIDR, cidr.toString(), ""), ReservedIdentity.WORLD.label()), cidr);
	}

	/**
	 * Whether the identity carries {@code reserved:<name>}.
	 * @param reserved the reserved identity
	 * @return whether the label is present
	 */
	public boolean has(ReservedIdentity reserved) {
		return this.labels.contains(reserved.label());
	}

	@Override
	public String toString() {
		return this.id + "(" + this.labels + ")";
	}

}
