package io.jcilium.agent.endpoint;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.jcilium.agent.ipam.PodIpAllocation;
import io.jcilium.agent.ipam.PodIpOwner;
import io.jcilium.agent.link.LinkOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the endpoints of a previous agent back from the state directory, as upstream's
 * endpoint restore: an endpoint whose pod namespace and node-side veth still exist is
 * taken over (its datapath is kept, never torn down), one whose pod went away while the
 * agent was down is cleaned up. Addresses held by no restored endpoint are freed, or held
 * with their veth while it exists; the ids of quarantined state files stay reserved.
 */
final class EndpointRestorer {

	private static final Logger logger = LoggerFactory.getLogger(EndpointRestorer.class);

	private static final String ORPHAN_CAUSE = "no endpoint restored at agent start (its state file was quarantined,"
			+ " or the previous agent did not finish its ADD) while its veth exists";

	private final EndpointTable table;

	private final LinkOperations links;

	private final PersistentPodIps ips;

	private final EndpointDatapath datapath;

	private final EndpointStateFiles stateFiles;

	private final PolicyReadiness policy;

	private final HeldOrphans orphans;

	private final QuarantinedIds quarantinedIds;

	EndpointRestorer(EndpointTable table, LinkOperations links, PersistentPodIps ips, EndpointDatapath datapath,
			EndpointStateFiles stateFiles, PolicyReadiness policy, HeldOrphans orphans, QuarantinedIds quarantinedIds) {
		this.quarantinedIds = quarantinedIds;
		this.policy = policy;
		this.orphans = orphans;
		this.table = table;
		this.links = links;
		this.ips = ips;
		this.datapath = datapath;
		this.stateFiles = stateFiles;
	}

	/**
	 * @return the endpoints taken over, in state {@code restoring}
	 */
	List<Endpoint> restore() {
		List<Endpoint> restored = new ArrayList<>();
		if (!this.stateFiles.inUse()) {
			// No endpoint was ever persisted here: nothing to restore, and the address
			// file alone cannot tell which pods still live.
			return restored;
		}
		Set<PodIpOwner> liveContainers = new HashSet<>();
		for (EndpointRecord record : this.stateFiles.readAll()) {
			Endpoint endpoint;
			try {
				endpoint = record.toRestoredEndpoint();
			}
			catch (RuntimeException ex) {
				this.stateFiles.quarantine(record.id(), "not restorable: " + ex.getMessage());
				continue;
			}
			String gone = whatIsGone(endpoint);
			if (gone != null) {
				cleanUp(endpoint, gone);
				continue;
			}
			if (!this.table.ids().reserve(endpoint.id())) {
				logger.warn("endpoint {} of container {} is not restored: its id is claimed twice", endpoint.id(),
						endpoint.containerId());
				continue;
			}
			holdAddress(endpoint);
			this.table.put(EndpointTable.key(endpoint.containerId(), endpoint.podIfName()), endpoint);
			liveContainers.add(owner(endpoint));
			Optional<String> awaited = this.policy.awaited();
			if (awaited.isPresent()) {
				// The running programs and pinned policy stay; the reconciler regenerates
				// once the inputs are in.
				logger.info("endpoint {}: datapath kept as it runs, {}", endpoint.id(), awaited.get());
				restored.add(endpoint);
				continue;
			}
			try {
				this.datapath.restore(endpoint);
			}
			catch (RuntimeException ex) {
				// The reconciler regenerates it in full next.
				logger.warn("endpoint {}: taking over its datapath failed, regenerating: {}", endpoint.id(),
						ex.getMessage());
			}
			restored.add(endpoint);
		}
		// after the restored endpoints took theirs: an id in use again stays with its
		// endpoint
		this.quarantinedIds.reserve(this.stateFiles.quarantined());
		releaseOrphanedAddresses(liveContainers);
		if (!restored.isEmpty()) {
			logger.info("restored {} endpoint(s) from the state directory", restored.size());
		}
		return restored;
	}

	/**
	 * @return what of the pod vanished while the agent was down, or {@code null}
	 */
	private String whatIsGone(Endpoint endpoint) {
		if (!this.links.namespaceExists(endpoint.netnsPath())) {
			return "network namespace " + endpoint.netnsPath() + " is gone";
		}
		if (!this.links.hostLinkExists(endpoint.hostIfName())) {
			return "node-side veth " + endpoint.hostIfName() + " is gone";
		}
		return null;
	}

	private void cleanUp(Endpoint endpoint, String gone) {
		logger.info("endpoint {} of container {} is not restored and its resources are freed: {}", endpoint.id(),
				endpoint.containerId(), gone);
		try {
			this.datapath.remove(endpoint);
			this.links.deletePodLink(endpoint.hostIfName());
			this.ips.release(endpoint.containerId(), endpoint.podIfName());
			this.stateFiles.delete(endpoint.id());
		}
		catch (RuntimeException ex) {
			logger.warn("endpoint {}: freeing its resources failed: {}", endpoint.id(), ex.getMessage());
		}
	}

	/** The address file and the endpoint files are written apart; the endpoint wins. */
	private void holdAddress(Endpoint endpoint) {
		PodIpOwner owner = this.ips.ownerOf(endpoint.ip()).orElse(null);
		if (owner(endpoint).equals(owner)) {
			return;
		}
		try {
			if (owner != null) {
				this.ips.release(owner.containerId(), owner.ifName());
			}
			this.ips.allocate(endpoint.containerId(), endpoint.podIfName(), endpoint.ip());
		}
		catch (RuntimeException ex) {
			logger.warn("endpoint {}: cannot hold its address {} again: {}", endpoint.id(),
					endpoint.ip().getHostAddress(), ex.getMessage());
		}
	}

	/**
	 * An address whose container interface has no restored endpoint was either left by an
	 * ADD the previous agent did not finish, or belongs to a pod whose state file was
	 * quarantined. Freeing the address of a pod that still runs would give two pods one
	 * IP, so it is freed only when the pod's veth is gone too (the kernel removes the
	 * pair with the pod's namespace); otherwise address and veth are held, until CNI DEL
	 * of that pod or until {@link OrphanReconciler} finds no pod claiming the address.
	 */
	private void releaseOrphanedAddresses(Set<PodIpOwner> liveContainers) {
		for (PodIpAllocation allocation : this.ips.allocations()) {
			PodIpOwner owner = allocation.owner();
			if (liveContainers.contains(owner)) {
				continue;
			}
			String hostIfName = EndpointManager.hostIfName(owner.containerId(), owner.ifName());
			if (this.links.hostLinkExists(hostIfName)) {
				logger.warn("holding address {} of container {}: no endpoint of it was restored, but its veth {}"
						+ " still exists; CNI DEL of the pod, or the API server showing no pod with the"
						+ " address, frees both", allocation.ip().getHostAddress(), owner, hostIfName);
				this.orphans.hold(new HeldOrphan(owner.containerId(), owner.ifName(), allocation.ip().getHostAddress(),
						hostIfName, ORPHAN_CAUSE, null, "not reconciled yet"));
				continue;
			}
			logger.info("freeing address {} of container {}: no endpoint of it survived",
					allocation.ip().getHostAddress(), owner);
			this.ips.release(owner.containerId(), owner.ifName());
		}
	}

	private static PodIpOwner owner(Endpoint endpoint) {
		return new PodIpOwner(endpoint.containerId(), endpoint.podIfName());
	}

}
