package io.jcilium.agent.datapath.lb;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code iptables-restore} input shaped as kube-proxy 1.28 writes it in iptables mode for
 * ClusterIP services: a KUBE-SERVICES rule per service port jumping to its KUBE-SVC
 * chain, which masquerades traffic from outside the pod CIDR and fans out over KUBE-SEP
 * chains with the {@code statistic} match (probability 1/n, 1/(n-1), ... as kube-proxy
 * computes it), each SEP chain DNATing to one endpoint. A full sync declares every chain;
 * a partial sync (kube-proxy's minimized restore) declares and rewrites KUBE-SERVICES
 * whole plus the changed service's chains, and deletes its stale SEP chains.
 */
final class KubeProxyRules {

	static final String POD_CIDR = "10.204.0.0/16";

	private KubeProxyRules() {
	}

	/** The jumps from the built-in chains, installed once as kube-proxy does on start. */
	static String hooks() {
		return """
				*nat
				:KUBE-SERVICES - [0:0]
				:KUBE-NODEPORTS - [0:0]
				:KUBE-POSTROUTING - [0:0]
				:KUBE-MARK-MASQ - [0:0]
				-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
				-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
				-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
				-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
				-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
				-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0
				-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
				COMMIT
				""";
	}

	/**
	 * Every service, every chain.
	 * @param services how many
	 * @param backends each one's endpoints (address:port)
	 * @return the restore input
	 */
	static String fullSync(int services, List<String> backends) {
		StringBuilder chains = new StringBuilder("*nat\n:KUBE-SERVICES - [0:0]\n");
		StringBuilder rules = new StringBuilder();
		for (int i = 0; i < services; i++) {
			serviceChains(i, backends, chains, rules);
		}
		servicesChain(services, rules);
		return chains.append(rules).append("COMMIT\n").toString();
	}

	/**
	 * One service changed: KUBE-SERVICES whole, the service's chains, stale SEPs removed.
	 * @param services how many services exist
	 * @param changed the changed service's index
	 * @param backends its endpoints now
	 * @param removed endpoints it no longer has
	 * @return the restore input
	 */
	static String partialSync(int services, int changed, List<String> backends, List<String> removed) {
		StringBuilder chains = new StringBuilder("*nat\n:KUBE-SERVICES - [0:0]\n");
		StringBuilder rules = new StringBuilder();
		serviceChains(changed, backends, chains, rules);
		for (String endpoint : removed) {
			chains.append(':').append(sepChain(changed, endpoint)).append(" - [0:0]\n");
			rules.append("-X ").append(sepChain(changed, endpoint)).append('\n');
		}
		servicesChain(services, rules);
		return chains.append(rules).append("COMMIT\n").toString();
	}

	static String vip(int index) {
		return "10.97." + (index >> 8) + "." + (index & 0xff);
	}

	private static void servicesChain(int services, StringBuilder rules) {
		for (int i = 0; i < services; i++) {
			rules.append("-A KUBE-SERVICES -d ")
				.append(vip(i))
				.append("/32 -p tcp -m comment --comment \"")
				.append(name(i))
				.append(" cluster IP\" -m tcp --dport 80 -j ")
				.append(svcChain(i))
				.append('\n');
		}
		rules.append("-A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports; NOTE: this must be the "
				+ "last rule in this chain\" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS\n");
	}

	private static void serviceChains(int index, List<String> backends, StringBuilder chains, StringBuilder rules) {
		String svc = svcChain(index);
		chains.append(':').append(svc).append(" - [0:0]\n");
		rules.append("-A ")
			.append(svc)
			.append(" ! -s ")
			.append(POD_CIDR)
			.append(" -d ")
			.append(vip(index))
			.append("/32 -p tcp -m comment --comment \"")
			.append(name(index))
			.append(" cluster IP\" -m tcp --dport 80 -j KUBE-MARK-MASQ\n");
		for (int j = 0; j < backends.size(); j++) {
			String endpoint = backends.get(j);
			String sep = sepChain(index, endpoint);
			chains.append(':').append(sep).append(" - [0:0]\n");
			rules.append("-A ").append(svc).append(" -m comment --comment \"").append(name(index)).append(" -> ");
			rules.append(endpoint).append('"');
			int left = backends.size() - j;
			if (left > 1) {
				rules.append(" -m statistic --mode random --probability ").append(String.format("%.11f", 1.0 / left));
			}
			rules.append(" -j ").append(sep).append('\n');
			String address = endpoint.substring(0, endpoint.indexOf(':'));
			rules.append("-A ")
				.append(sep)
				.append(" -s ")
				.append(address)
				.append("/32 -m comment --comment \"")
				.append(name(index))
				.append("\" -j KUBE-MARK-MASQ\n");
			rules.append("-A ")
				.append(sep)
				.append(" -p tcp -m comment --comment \"")
				.append(name(index))
				.append("\" -m tcp -j DNAT --to-destination ")
				.append(endpoint)
				.append('\n');
		}
	}

	private static String name(int index) {
		return "bench/svc-" + index + ":http";
	}

	private static String svcChain(int index) {
		return "KUBE-SVC-" + hash(name(index) + "tcp");
	}

	private static String sepChain(int index, String endpoint) {
		return "KUBE-SEP-" + hash(name(index) + "tcp" + endpoint);
	}

	/** kube-proxy names chains by a hash of the service port (16 characters). */
	private static String hash(String text) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().withUpperCase().formatHex(digest, 0, 8);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
