package io.jcilium.bgp.nodeconfig;

/**
 * Where a peer's TCP MD5 password comes from: upstream's {@code authSecretRef} names a
 * Secret in the BGP secrets namespace whose key {@code password} holds it.
 */
@FunctionalInterface
public interface PeerPasswords {

	/** No Secrets at all: a peer that names one is left out. */
	PeerPasswords NONE = (secretName) -> Lookup.problem("no Secrets are read in this mode");

	/**
	 * @param secretName the Secret a peer's {@code authSecretRef} names
	 * @return the password, or why there is none
	 */
	Lookup password(String secretName);

	/**
	 * A password, or the reason there is none.
	 *
	 * @param password the password, or {@code null}
	 * @param problem why there is none, or {@code null}
	 */
	record Lookup(String password, String problem) {

		static Lookup of(String password) {
			return new Lookup(password, null);
		}

		static Lookup problem(String problem) {
			return new Lookup(null, problem);
		}

		@Override
		public String toString() {
			return (this.password != null) ? "Lookup[password set]" : "Lookup[" + this.problem + "]";
		}

	}

}
