package io.jcilium.agent.endpoint;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * This node's pods' addresses as a pod informer would hold them: unsynced until
 * {@link #sync}, then a pod claims an address from {@link #claim} until
 * {@link #deletePod}; every change is told to the listeners, as informer events are.
 */
final class FakeLocalPodAddresses implements LocalPodAddresses {

	private final Map<InetAddress, String> claims = new ConcurrentHashMap<>();

	private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

	private volatile boolean synced;

	@Override
	public boolean synced() {
		return this.synced;
	}

	@Override
	public Optional<String> claimant(InetAddress ip) {
		return Optional.ofNullable(this.claims.get(ip));
	}

	@Override
	public void whenChanged(Runnable listener) {
		this.listeners.add(listener);
	}

	void sync() {
		this.synced = true;
		changed();
	}

	void claim(InetAddress ip, String pod) {
		this.claims.put(ip, pod);
		changed();
	}

	void deletePod(String pod) {
		this.claims.values().removeIf(pod::equals);
		changed();
	}

	private void changed() {
		this.listeners.forEach(Runnable::run);
	}

}
