package io.jcilium.cli.ipam;

import java.io.PrintWriter;
import java.util.List;

import io.jcilium.api.ipam.v1.NodeCidrs;
import io.jcilium.api.ipam.v1.Pool;
import io.jcilium.cli.output.OutputFormat;
import io.jcilium.cli.services.ServiceAddresses;

import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

/**
 * {@code ipam pools} and {@code ipam nodes}: what cluster IPAM hands out and to whom,
 * from ipam-service.
 */
@Component
public class IpamCommands {

	private final ServiceAddresses addresses;

	public IpamCommands(ServiceAddresses addresses) {
		this.addresses = addresses;
	}

	@Command(name = "ipam pools", group = "IPAM", description = "IP pools: CIDRs, block sizes and how much is used",
			help = """
					ipam pools [-o json|yaml]
					  Lists the cluster pool (pod CIDRs per node) and every multi-pool pool that
					  ipam-service (jcilium.services.ipam.grpc) knows: its CIDRs, the block size per
					  family, blocks in use out of the total, and whether it comes from the service's
					  configuration or from a CiliumPodIPPool through the operator.""")
	void pools(@Option(longName = "output", shortName = 'o', description = "json or yaml") String output,
			CommandContext context) {
		OutputFormat format = OutputFormat.parse(output);
		List<Pool> pools;
		try (IpamClient ipam = IpamClient.open(this.addresses)) {
			pools = ipam.pools();
		}
		PrintWriter out = context.outputWriter();
		if (format.table()) {
			out.print(IpamTables.pools(pools));
			out.flush();
		}
		else {
			format.print(out, IpamTables.poolData(pools));
		}
	}

	@Command(name = "ipam nodes", group = "IPAM", description = "Pod CIDRs and pool blocks each node holds", help = """
			ipam nodes [-o json|yaml]
			  Lists every node holding addresses in ipam-service, sorted by name: its pod
			  CIDRs (cluster pool) and the blocks it holds in each multi-pool pool.""")
	void nodes(@Option(longName = "output", shortName = 'o', description = "json or yaml") String output,
			CommandContext context) {
		OutputFormat format = OutputFormat.parse(output);
		List<NodeCidrs> nodes;
		try (IpamClient ipam = IpamClient.open(this.addresses)) {
			nodes = ipam.nodes();
		}
		PrintWriter out = context.outputWriter();
		if (format.table()) {
			out.print(IpamTables.nodes(nodes));
			out.flush();
		}
		else {
			format.print(out, IpamTables.nodeData(nodes));
		}
	}

}
