package io.jcilium.agent.link;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link LinkOperations} in memory: records the links the lifecycle asked for and can be
 * told to fail the next creation, like the kernel refusing a name.
 */
public final class InMemoryLinkOperations implements LinkOperations {

	private final Map<String, PodLinkSpec> links = new ConcurrentHashMap<>();

	private final AtomicInteger nextIfIndex = new AtomicInteger(100);

	private volatile String failNextCreate;

	@Override
	public PodLink createPodLink(PodLinkSpec spec) {
		String failure = this.failNextCreate;
		if (failure != null) {
			this.failNextCreate = null;
			throw new LinkException(failure);
		}
		if (this.links.putIfAbsent(spec.hostIfName(), spec) != null) {
			throw new LinkException("link " + spec.hostIfName() + " already exists");
		}
		return new PodLink(spec.hostIfName(), this.nextIfIndex.getAndIncrement(), spec.hostMac(), spec.podIfName(),
				spec.podMac());
	}

	@Override
	public void deletePodLink(String hostIfName) {
		this.links.remove(hostIfName);
	}

	@Override
	public boolean hostLinkExists(String hostIfName) {
		return this.links.containsKey(hostIfName);
	}

	@Override
	public Set<String> podHostLinks() {
		return Set.copyOf(this.links.keySet());
	}

	/**
	 * A pod's namespace lives as long as its veth here: deleting the link stands for the
	 * pod going away with its namespace.
	 */
	@Override
	public boolean namespaceExists(String netnsPath) {
		return this.links.values().stream().anyMatch((spec) -> spec.netnsPath().equals(netnsPath));
	}

	/** The spec a link was created with, or {@code null}. */
	public PodLinkSpec spec(String hostIfName) {
		return this.links.get(hostIfName);
	}

	public int size() {
		return this.links.size();
	}

	public void failNextCreate(String message) {
		this.failNextCreate = message;
	}

}
