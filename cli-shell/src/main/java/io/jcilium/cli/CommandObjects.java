package io.jcilium.cli;

import java.util.List;

import io.jcilium.cli.bgp.BgpCommands;
import io.jcilium.cli.bpf.BpfCommands;
import io.jcilium.cli.config.ConfigCommands;
import io.jcilium.cli.endpoint.EndpointCommands;
import io.jcilium.cli.endpoint.EndpointPolicyCommands;
import io.jcilium.cli.hubble.HubbleCommands;
import io.jcilium.cli.hubble.MonitorCommands;
import io.jcilium.cli.hubble.PolicyHitsCommands;
import io.jcilium.cli.identity.IdentityCardinalityCommands;
import io.jcilium.cli.identity.IdentityCommands;
import io.jcilium.cli.ipam.IpamCommands;
import io.jcilium.cli.node.NodeCommands;
import io.jcilium.cli.policy.PolicyCommands;
import io.jcilium.cli.policy.PolicyRepositoryCommands;
import io.jcilium.cli.service.ServiceCommands;
import io.jcilium.cli.services.ServiceAddresses;
import io.jcilium.cli.status.StatusCommands;
import io.jcilium.cli.status.StatusProperties;

/**
 * Every command class of the console, built with plain constructors: what the Spring
 * context would create as {@code @Component}s, for the one-shot path that starts no
 * context ({@link OneShotConsole}). A command class added without being listed here is
 * caught by {@code HandBuiltCommandsTest}, which compares this set with the context's.
 */
final class CommandObjects {

	private CommandObjects() {
	}

	static List<Object> all(ServiceAddresses addresses, StatusProperties status) {
		return List.of(new StatusCommands(addresses, status), new EndpointCommands(addresses),
				new EndpointPolicyCommands(addresses), new IdentityCommands(addresses),
				new IdentityCardinalityCommands(addresses), new PolicyCommands(addresses),
				new PolicyRepositoryCommands(addresses), new NodeCommands(addresses), new BpfCommands(addresses),
				new ConfigCommands(addresses), new IpamCommands(addresses), new ServiceCommands(addresses),
				new BgpCommands(addresses), new HubbleCommands(addresses), new MonitorCommands(addresses),
				new PolicyHitsCommands(addresses));
	}

}
