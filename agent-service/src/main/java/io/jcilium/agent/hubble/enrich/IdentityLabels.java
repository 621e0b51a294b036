package io.jcilium.agent.hubble.enrich;

import java.util.List;

/**
 * The labels of a security identity, as flows show them ({@code k8s:app=web}).
 */
@FunctionalInterface
public interface IdentityLabels {

	/**
	 * @param identity the numeric identity
	 * @return its labels in canonical {@code source:key=value} form, sorted; empty when
	 * unknown
	 */
	List<String> labelsOf(long identity);

}
