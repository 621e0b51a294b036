package io.jcilium.identity.allocation;

import io.jcilium.common.label.Label;
import io.jcilium.common.policy.model.PodLabels;

/**
 * The namespace of the requested labels already has as many identities as its budget
 * allows, and these labels would make another: usually a label whose value is unique per
 * pod, which makes every pod an identity of its own.
 */
public class NamespaceIdentityBudgetException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public NamespaceIdentityBudgetException(String labelsKey, int budget) {
		super("namespace '" + namespace(labelsKey) + "' already has " + budget
				+ " identities, the most jcilium.identity.allocation.max-identities-per-namespace allows; "
				+ "a label unique per pod multiplies identities: exclude it from identity labels "
				+ "(jcilium.identity.allocation.label-patterns, e.g. k8s:!<key>) or raise the budget");
	}

	private static String namespace(String labelsKey) {
		for (String label : LabelsKey.labels(labelsKey)) {
			if (label.startsWith(NAMESPACE_LABEL)) {
				return label.substring(NAMESPACE_LABEL.length());
			}
		}
		return "";
	}

	private static final String NAMESPACE_LABEL = Label.SOURCE_K8S + ":" + PodLabels.NAMESPACE_LABEL + "=";

}
