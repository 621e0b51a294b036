package io.jcilium.agent.endpoint;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every event, and whether it arrived while its endpoint's lock was held. */
public final class RecordingEndpointListener implements EndpointListener {

	public final List<EndpointStatus> changed = new CopyOnWriteArrayList<>();

	public final List<EndpointStatus> removed = new CopyOnWriteArrayList<>();

	public volatile boolean calledUnderLock;

	private volatile EndpointManager manager;

	public RecordingEndpointListener watching(EndpointManager manager) {
		this.manager = manager;
		return this;
	}

	@Override
	public void endpointChanged(EndpointStatus status) {
		checkLock(status);
		this.changed.add(status);
	}

	@Override
	public void endpointRemoved(EndpointStatus status) {
		checkLock(status);
		this.removed.add(status);
	}

	private void checkLock(EndpointStatus status) {
		EndpointManager endpoints = this.manager;
		if (endpoints != null) {
			endpoints.find(status.containerId(), status.podIfName())
				.filter((endpoint) -> endpoint.work.lock.isHeldByCurrentThread())
				.ifPresent((endpoint) -> this.calledUnderLock = true);
		}
	}

	public List<String> statesOf(int endpointId) {
		return this.changed.stream().filter((status) -> status.id() == endpointId).map(EndpointStatus::state).toList();
	}

}
