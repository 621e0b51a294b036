package io.jcilium.agent.endpoint;

import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Endpoint ids of quarantined state files, reserved so no new endpoint is handed one: a
 * pod of such a file may still run with programs that read the settings and policy pinned
 * under its id, and a new endpoint with that id would overwrite them (the old program
 * would then stamp its pod's packets with the new endpoint's identity). They are freed,
 * with what the datapath holds under them, once nothing can run such a program any more:
 * the orphan reconciliation holds no orphan and no pod veth on the node is without an
 * endpoint. The second condition covers a pod whose address entry was lost with its state
 * file: no orphan is held for it, but its veth still carries the programs. The file's
 * content may be what is broken, so which veth was its pod's is not known: any veth no
 * endpoint owns keeps every quarantined id (fail closed; ids are plenty).
 */
final class QuarantinedIds {

	private static final Logger logger = LoggerFactory.getLogger(QuarantinedIds.class);

	private final EndpointIds ids;

	private final EndpointDatapath datapath;

	private final Supplier<Set<String>> unownedPodLinks;

	private final Set<Integer> reserved = new TreeSet<>();

	private String keptBecause = "";

	/**
	 * @param ids the node's endpoint ids
	 * @param datapath removes what an id held once it is freed
	 * @param unownedPodLinks the node-side pod veths no endpoint owns now; throws when
	 * they cannot be listed
	 */
	QuarantinedIds(EndpointIds ids, EndpointDatapath datapath, Supplier<Set<String>> unownedPodLinks) {
		this.ids = ids;
		this.datapath = datapath;
		this.unownedPodLinks = unownedPodLinks;
	}

	/**
	 * Reserves the ids of quarantined files (of this start and of earlier ones: an agent
	 * restarted before reconciling still has the pods). Call after the restored endpoints
	 * took their ids: an id a live endpoint uses again is left to it.
	 * @param files the quarantined state files
	 */
	synchronized void reserve(List<QuarantinedStateFile> files) {
		for (QuarantinedStateFile file : files) {
			OptionalInt id = file.endpointId();
			if (id.isPresent() && id.getAsInt() >= 1 && id.getAsInt() <= EndpointIds.MAX_ENDPOINT_ID
					&& !this.reserved.contains(id.getAsInt()) && this.ids.reserve(id.getAsInt())) {
				this.reserved.add(id.getAsInt());
				logger.info("endpoint id {} stays reserved until its pod's orphan is reconciled (state file {})",
						id.getAsInt(), file.file().getFileName());
			}
		}
	}

	/**
	 * Frees every reserved id and what the datapath holds under it, once no orphan is
	 * held and every pod veth on the node belongs to an endpoint. An id whose datapath
	 * resources cannot be removed stays reserved for the next pass.
	 * @param orphans the orphans held now
	 */
	synchronized void releaseIfUnused(HeldOrphans orphans) {
		if (this.reserved.isEmpty() || !orphans.isEmpty()) {
			return;
		}
		String kept = whyKept();
		if (kept != null) {
			if (!kept.equals(this.keptBecause)) {
				logger.info("endpoint ids {} of quarantined state files stay reserved: {}", this.reserved, kept);
			}
			this.keptBecause = kept;
			return;
		}
		this.keptBecause = "";
		for (Integer id : List.copyOf(this.reserved)) {
			this.datapath.removeOrphaned(id);
			this.reserved.remove(id);
			this.ids.release(id);
			logger.info("endpoint id {} of a quarantined state file is free again: no orphan is held", id);
		}
	}

	/**
	 * @return why the ids must stay reserved, or {@code null}
	 */
	private String whyKept() {
		Set<String> unowned;
		try {
			unowned = this.unownedPodLinks.get();
		}
		catch (RuntimeException ex) {
			return "the node's pod veths cannot be listed (" + ex.getMessage() + ")";
		}
		if (unowned.isEmpty()) {
			return null;
		}
		return "veth(s) " + new TreeSet<>(unowned) + " belong to no endpoint and may still carry programs"
				+ " that read the settings under these ids; CNI DEL of their pods, or their namespaces going"
				+ " away, frees them";
	}

	synchronized Set<Integer> all() {
		return Set.copyOf(this.reserved);
	}

}
