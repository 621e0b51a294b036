package io.jcilium.agent.service.lb;

import java.util.Comparator;
import java.util.List;

/**
 * A frontend as it is in the LB maps: the service it belongs to, the rev NAT index the
 * datapath knows it by (upstream's service ID) and the backend id in each slot.
 *
 * @param id the rev NAT index, shared by the two scopes of one frontend address
 * @param service the service that owns the frontend
 * @param frontend what was written
 * @param backendIds the backend id in slot 1, 2, ... (in the order of
 * {@link LbFrontend#backends()})
 */
public record ProgrammedFrontend(int id, ServiceName service, LbFrontend frontend, List<Integer> backendIds) {

	/** By id, the external scope first: the order of upstream's {@code service list}. */
	public static final Comparator<ProgrammedFrontend> ORDER = Comparator.comparingInt(ProgrammedFrontend::id)
		.thenComparing((programmed) -> programmed.frontend().key().scope());

	public ProgrammedFrontend {
		backendIds = List.copyOf(backendIds);
	}

}
