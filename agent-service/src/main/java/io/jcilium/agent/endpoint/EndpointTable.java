package io.jcilium.agent.endpoint;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.jcilium.agent.link.LinkOperations;
import io.jcilium.common.identity.NumericIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoints of this node by container interface, their ids, the per-interface locks
 * that serialize ADD and DEL, and tearing one down.
 */
final class EndpointTable {

	private static final Logger logger = LoggerFactory.getLogger(EndpointTable.class);

	private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();

	private final Map<String, Object> keyLocks = new ConcurrentHashMap<>();

	private final EndpointIds ids = new EndpointIds();

	private final EndpointDatapath datapath;

	private final LinkOperations links;

	private final PersistentPodIps ips;

	private final EndpointStateFiles stateFiles;

	private final IdentityResolver identities;

	EndpointTable(EndpointDatapath datapath, LinkOperations links, PersistentPodIps ips, EndpointStateFiles stateFiles,
			IdentityResolver identities) {
		this.datapath = datapath;
		this.links = links;
		this.ips = ips;
		this.stateFiles = stateFiles;
		this.identities = identities;
	}

	static String key(String containerId, String podIfName) {
		return containerId + "/" + podIfName;
	}

	EndpointIds ids() {
		return this.ids;
	}

	Endpoint get(String key) {
		return this.endpoints.get(key);
	}

	void put(String key, Endpoint endpoint) {
		this.endpoints.put(key, endpoint);
	}

	Collection<Endpoint> all() {
		return List.copyOf(this.endpoints.values());
	}

	Object lockFor(String key) {
		return this.keyLocks.computeIfAbsent(key, (k) -> new Object());
	}

	void forgetLock(String key) {
		this.keyLocks.remove(key);
	}

	/**
	 * Removes datapath, veth, address, state file, id and identity reference of the
	 * endpoint; the caller holds its key lock, and tells the listeners afterwards.
	 * @return the endpoint's last status
	 */
	EndpointStatus tearDown(String key, Endpoint endpoint, String reason, RegenerationQueue queue) {
		EndpointWork work = endpoint.work;
		EndpointStatus last;
		work.lock.lock();
		try {
			work.removed = true;
			queue.forget(endpoint);
			if (endpoint.state() != EndpointState.DISCONNECTING) {
				endpoint.moveTo(EndpointState.DISCONNECTING, reason);
			}
			this.datapath.remove(endpoint);
			this.links.deletePodLink(endpoint.hostIfName());
			this.ips.release(endpoint.containerId(), endpoint.podIfName());
			this.stateFiles.delete(endpoint.id());
			endpoint.moveTo(EndpointState.DISCONNECTED, reason);
			this.endpoints.remove(key);
			this.ids.release(endpoint.id());
			if (work.identityHeld) {
				work.identityHeld = false;
				releaseIdentity(endpoint);
			}
			last = endpoint.status();
		}
		finally {
			work.lock.unlock();
		}
		work.firstReady.cancel(false);
		return last;
	}

	private void releaseIdentity(Endpoint endpoint) {
		if (NumericIdentity.isInReservedRange(endpoint.identity())) {
			// Reserved (init): never allocated, never released.
			return;
		}
		try {
			this.identities.release(endpoint.identity());
		}
		catch (RuntimeException ex) {
			logger.warn("endpoint {}: releasing identity {} failed: {}", endpoint.id(), endpoint.identity(),
					ex.getMessage());
		}
	}

}
