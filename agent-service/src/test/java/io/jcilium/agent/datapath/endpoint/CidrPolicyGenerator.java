package io.jcilium.agent.datapath.endpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.jcilium.common.net.Cidr;

/**
 * Random policies made of CIDR rules and world entities, as a user writes them, over
 * prefixes chosen around the outside addresses and the pod range of
 * {@link CidrPolicyDatapathIT}: nested prefixes, host prefixes, {@code /0}, the pods' own
 * range, excepts inside them, allow and deny, ingress and egress, with and without a
 * port. Same seed, same policies.
 */
final class CidrPolicyGenerator {

	static final List<String> PREFIXES = List.of("0.0.0.0/0", "203.0.0.0/8", "203.0.113.0/24", "203.0.113.0/25",
			"203.0.113.128/25", "203.0.113.128/26", "203.0.113.10/32", "203.0.113.130/32", "198.51.100.0/24",
			"198.51.100.0/29", "10.79.0.0/16", "10.79.0.2/32");

	static final List<String> ENTITIES = List.of("world", "world-ipv4", "cluster", "all");

	private static final List<String> SELECTORS = List.of("{matchLabels: {app: client}}",
			"{matchLabels: {app: server}}", "{}");

	private final Random random;

	CidrPolicyGenerator(long seed) {
		this.random = new Random(seed);
	}

	/**
	 * One to three policies in one YAML text.
	 * @param seed shown in the policies' names
	 * @return the document
	 */
	String policies(long seed) {
		int count = 1 + this.random.nextInt(3);
		List<String> documents = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			documents.add(this.random.nextInt(4) == 0 ? networkPolicy("np-" + seed + "-" + i)
					: ciliumPolicy("cnp-" + seed + "-" + i));
		}
		return String.join("---\n", documents);
	}

	private String ciliumPolicy(String name) {
		StringBuilder yaml = new StringBuilder("""
				apiVersion: cilium.io/v2
				kind: CiliumNetworkPolicy
				metadata: {name: %s, namespace: shop}
				spec:
				  endpointSelector: %s
				""".formatted(name, pick(SELECTORS)));
		int sections = 1 + this.random.nextInt(2);
		List<String> used = new ArrayList<>();
		for (int i = 0; i < sections; i++) {
			boolean egress = this.random.nextBoolean();
			boolean deny = this.random.nextInt(4) == 0;
			String section = (egress ? "egress" : "ingress") + (deny ? "Deny" : "");
			if (used.contains(section)) {
				continue;
			}
			used.add(section);
			yaml.append("  ").append(section).append(":\n");
			int rules = 1 + this.random.nextInt(2);
			for (int r = 0; r < rules; r++) {
				yaml.append("    - ").append(peer(egress)).append('\n');
				if (this.random.nextInt(3) == 0) {
					yaml.append("      toPorts: [{ports: [{port: \"")
						.append(this.random.nextBoolean() ? 8080 : 9999)
						.append("\", protocol: TCP}]}]\n");
				}
			}
		}
		return yaml.toString();
	}

	private String peer(boolean egress) {
		String prefix = egress ? "to" : "from";
		return switch (this.random.nextInt(3)) {
			case 0 -> prefix + "CIDR: [" + pick(PREFIXES) + "]";
			case 1 -> {
				String cidr = pick(PREFIXES);
				String except = except(cidr);
				yield prefix + "CIDRSet: [{cidr: " + cidr + ((except != null) ? ", except: [" + except + "]" : "")
						+ "}]";
			}
			default -> prefix + "Entities: [" + pick(ENTITIES) + "]";
		};
	}

	private String networkPolicy(String name) {
		boolean egress = this.random.nextBoolean();
		String cidr = pick(PREFIXES);
		String except = except(cidr);
		String block = "{ipBlock: {cidr: " + cidr + ((except != null) ? ", except: [" + except + "]" : "") + "}}";
		return """
				apiVersion: networking.k8s.io/v1
				kind: NetworkPolicy
				metadata: {name: %s, namespace: shop}
				spec:
				  podSelector: %s
				  policyTypes: [%s]
				  %s:
				    - %s: [%s]
				""".formatted(name, pick(SELECTORS), egress ? "Egress" : "Ingress", egress ? "egress" : "ingress",
				egress ? "to" : "from", block);
	}

	/** A prefix strictly inside the given one, or null (none, or by chance). */
	private String except(String cidr) {
		Cidr outer = Cidr.parse(cidr);
		List<String> inside = PREFIXES.stream()
			.filter((candidate) -> !candidate.equals(cidr) && outer.contains(Cidr.parse(candidate)))
			.toList();
		if (inside.isEmpty() || this.random.nextInt(3) == 0) {
			return null;
		}
		return pick(inside);
	}

	private String pick(List<String> values) {
		return values.get(this.random.nextInt(values.size()));
	}

}
