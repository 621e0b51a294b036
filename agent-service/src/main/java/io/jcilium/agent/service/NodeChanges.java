package io.jcilium.agent.service;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;

import io.jcilium.agent.service.watch.ServiceSync;

/**
 * Any change of a Node or CiliumNode marks every service: NodePort frontends are opened
 * on this node's addresses, which such a change may move.
 *
 * @param <T> Node or CiliumNode
 */
final class NodeChanges<T> implements ResourceEventHandler<T> {

	private final ServiceSync sync;

	NodeChanges(ServiceSync sync) {
		this.sync = sync;
	}

	@Override
	public void onAdd(T object) {
		this.sync.changedAll();
	}

	@Override
	public void onUpdate(T before, T after) {
		this.sync.changedAll();
	}

	@Override
	public void onDelete(T object, boolean finalStateUnknown) {
		this.sync.changedAll();
	}

}
