package io.jcilium.bgp.status;

import java.util.function.Supplier;

import io.jcilium.bgp.reconcile.SpeakerReconciler;
import io.jcilium.bgp.session.BgpSpeaker;

import org.springframework.beans.factory.ObjectProvider;

/**
 * The speaker running now, whichever mode started it: the lab file's bean, or the one the
 * API server mode's reconciler runs ({@code null} without a node config or policy).
 */
final class RunningSpeaker implements Supplier<BgpSpeaker> {

	private final ObjectProvider<BgpSpeaker> speaker;

	private final ObjectProvider<SpeakerReconciler> reconciler;

	RunningSpeaker(ObjectProvider<BgpSpeaker> speaker, ObjectProvider<SpeakerReconciler> reconciler) {
		this.speaker = speaker;
		this.reconciler = reconciler;
	}

	@Override
	public BgpSpeaker get() {
		BgpSpeaker running = this.speaker.getIfAvailable();
		if (running != null) {
			return running;
		}
		SpeakerReconciler current = this.reconciler.getIfAvailable();
		return (current != null) ? current.speaker() : null;
	}

}
