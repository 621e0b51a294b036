package io.jcilium.bgp.nodeconfig;

import java.time.Clock;
import java.util.List;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.jcilium.api.crd.v2.CiliumBGPNodeConfig;
import io.jcilium.bgp.reconcile.SpeakerReconciler;
import io.jcilium.bgp.session.BgpSpeaker;
import io.jcilium.bgp.session.PeerStatus;

/**
 * Writes the node config's status subresource ({@link NodeConfigStatus}) when it differs
 * from what the object holds, keeping conditions others wrote; a conflict or an error
 * fails the caller's job, which tries again.
 */
final class NodeConfigStatusWriter {

	private final KubernetesClient client;

	private final SpeakerReconciler reconciler;

	private final Clock clock;

	private final NodeConfigStatus status = new NodeConfigStatus();

	NodeConfigStatusWriter(KubernetesClient client, SpeakerReconciler reconciler, Clock clock) {
		this.client = client;
		this.reconciler = reconciler;
		this.clock = clock;
	}

	/**
	 * @param current the node config in force, as the informer last saw it
	 * @return whether a status was written
	 */
	boolean write(CiliumBGPNodeConfig current) {
		BgpSpeaker speaker = this.reconciler.speaker();
		List<PeerStatus> peers = (speaker != null) ? speaker.status() : List.of();
		CiliumBGPNodeConfig.Status desired = this.status.of(current, peers, this.clock.instant());
		if (current.getStatus() != null) {
			desired.conditions = current.getStatus().conditions;
		}
		KubernetesSerialization json = this.client.getKubernetesSerialization();
		if (current.getStatus() != null && json.asJson(desired).equals(json.asJson(current.getStatus()))) {
			return false;
		}
		CiliumBGPNodeConfig updated = json.clone(current);
		updated.setStatus(desired);
		this.client.resource(updated).updateStatus();
		return true;
	}

}
