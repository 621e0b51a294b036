package io.jcilium.agent.endpoint;

import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Endpoint ids of quarantined state files, reserved so no new endpoint is handed one: a
 * pod of such a file may still run with programs that read the settings and policy pinned
 * under its id, and a new endpoint with that id would overwrite them. They are freed,
 * with what the datapath holds under them, once the orphan reconciliation holds no orphan
 * any more (every veth and address of an endpoint that was not restored is gone).
 */
final class QuarantinedIds {

	private static final Logger logger = LoggerFactory.getLogger(QuarantinedIds.class);

	private final EndpointIds ids;

	private final EndpointDatapath datapath;

	private final Set<Integer> reserved = new TreeSet<>();

	QuarantinedIds(EndpointIds ids, EndpointDatapath datapath) {
		this.ids = ids;
		this.datapath = datapath;
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
	 * held. An id whose datapath resources cannot be removed stays reserved for the next
	 * pass.
	 * @param orphans the orphans held now
	 */
	synchronized void releaseIfNoOrphans(HeldOrphans orphans) {
		if (this.reserved.isEmpty() || !orphans.isEmpty()) {
			return;
		}
		for (Integer id : List.copyOf(this.reserved)) {
			this.datapath.removeOrphaned(id);
			this.reserved.remove(id);
			this.ids.release(id);
			logger.info("endpoint id {} of a quarantined state file is free again: no orphan is held", id);
		}
	}

	synchronized Set<Integer> all() {
		return Set.copyOf(this.reserved);
	}

}
