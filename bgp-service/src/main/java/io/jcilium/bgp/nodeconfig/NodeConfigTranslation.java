package io.jcilium.bgp.nodeconfig;

import java.util.List;

import io.jcilium.bgp.reconcile.SpeakerPlan;

/**
 * What a node config asks the speaker to run, and what of it the speaker leaves out (a
 * peer it cannot run, an advertisement type it has no source for yet), each saying why.
 *
 * @param plan the plan
 * @param notices what was left out, for logs and the node config's status
 */
public record NodeConfigTranslation(SpeakerPlan plan, List<String> notices) {

	public NodeConfigTranslation {
		notices = List.copyOf(notices);
	}

}
