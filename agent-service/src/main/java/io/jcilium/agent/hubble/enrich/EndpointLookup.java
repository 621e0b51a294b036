package io.jcilium.agent.hubble.enrich;

import java.util.Optional;

/**
 * The endpoints of this node, as flows need them.
 */
public interface EndpointLookup {

	Optional<LocalEndpoint> byId(int id);

	Optional<LocalEndpoint> byAddress(String address);

	Optional<LocalEndpoint> byInterfaceIndex(int ifindex);

}
