package io.jcilium.cli.ipam;

import java.util.List;

import io.jcilium.api.ipam.v1.NodeCidrs;
import io.jcilium.api.ipam.v1.Pool;
import io.jcilium.api.ipam.v1.PoolBlock;
import io.jcilium.cli.table.TextTable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pools and node allocations as tables, one CIDR per line (the row's other cells on its
 * first), and the same as data for {@code -o json|yaml}.
 */
final class IpamTables {

	private IpamTables() {
	}

	static String pools(List<Pool> pools) {
		TextTable table = new TextTable("POOL", "CIDRS", "MASK (IPv4)", "MASK (IPv6)", "BLOCKS USED", "BLOCKS TOTAL",
				"USE", "SOURCE");
		for (Pool pool : pools) {
			long used = pool.getBlocksInUse();
			long total = pool.getBlocksTotal();
			String use = (total == 0) ? "-" : String.format("%.1f%%", 100.0 * used / total);
			List<String> cidrs = pool.getCidrsList().isEmpty() ? List.of("") : pool.getCidrsList();
			for (int i = 0; i < cidrs.size(); i++) {
				if (i == 0) {
					table.row(pool.getName(), cidrs.get(0), mask(pool.getIpv4MaskSize()), mask(pool.getIpv6MaskSize()),
							Long.toUnsignedString(used), Long.toUnsignedString(total), use,
							pool.getConfigured() ? "config" : "api");
				}
				else {
					table.row("", cidrs.get(i), "", "", "", "", "", "");
				}
			}
		}
		return table.render();
	}

	static String nodes(List<NodeCidrs> nodes) {
		TextTable table = new TextTable("NODE", "POD CIDRS", "POOL", "POOL BLOCKS");
		for (NodeCidrs node : nodes) {
			int lines = Math.max(1, Math.max(node.getPodCidrsCount(), node.getPoolBlocksCount()));
			for (int i = 0; i < lines; i++) {
				PoolBlock block = (i < node.getPoolBlocksCount()) ? node.getPoolBlocks(i) : null;
				table.row((i == 0) ? node.getNode() : "", (i < node.getPodCidrsCount()) ? node.getPodCidrs(i) : "",
						(block != null) ? block.getPool() : "", (block != null) ? block.getCidr() : "");
			}
		}
		return table.render();
	}

	/** {@code [{"name": "default", "cidrs": [...], "ipv4MaskSize": 24, ...}]} */
	static JsonNode poolData(List<Pool> pools) {
		ArrayNode list = JsonMapper.shared().createArrayNode();
		for (Pool pool : pools) {
			ObjectNode node = list.addObject();
			node.put("name", pool.getName());
			ArrayNode cidrs = node.putArray("cidrs");
			pool.getCidrsList().forEach(cidrs::add);
			node.put("ipv4MaskSize", pool.getIpv4MaskSize());
			node.put("ipv6MaskSize", pool.getIpv6MaskSize());
			node.put("blocksInUse", pool.getBlocksInUse());
			node.put("blocksTotal", pool.getBlocksTotal());
			node.put("configured", pool.getConfigured());
		}
		return list;
	}

	/**
	 * {@code [{"node": "n1", "podCIDRs": [...], "poolBlocks": [{"pool": ..., "cidr":
	 * ...}]}]}
	 */
	static JsonNode nodeData(List<NodeCidrs> nodes) {
		ArrayNode list = JsonMapper.shared().createArrayNode();
		for (NodeCidrs cidrs : nodes) {
			ObjectNode node = list.addObject();
			node.put("node", cidrs.getNode());
			ArrayNode podCidrs = node.putArray("podCIDRs");
			cidrs.getPodCidrsList().forEach(podCidrs::add);
			ArrayNode blocks = node.putArray("poolBlocks");
			for (PoolBlock block : cidrs.getPoolBlocksList()) {
				blocks.addObject().put("pool", block.getPool()).put("cidr", block.getCidr());
			}
		}
		return list;
	}

	private static String mask(int size) {
		return (size == 0) ? "-" : "/" + size;
	}

}
