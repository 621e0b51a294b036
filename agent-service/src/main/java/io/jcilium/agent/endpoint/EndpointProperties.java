package io.jcilium.agent.endpoint;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Endpoint settings under {@code jcilium.agent}.
 *
 * @param stateDir where the agent keeps state that must survive its restart (pod IP
 * allocations, one file per endpoint)
 * @param ipam local pod address allocation
 * @param endpoint the endpoint lifecycle
 */
@ConfigurationProperties("jcilium.agent")
public record EndpointProperties(@DefaultValue("/var/run/jcilium/state") Path stateDir, @DefaultValue Ipam ipam,
		@DefaultValue Lifecycle endpoint) {

	/**
	 * @param podCidr the node's pod CIDR (IPv4 for now: the pod routes go through an IPv4
	 * link-local gateway)
	 * @param mode {@code cluster-pool} (one pod CIDR per node, from its CiliumNode's
	 * {@code spec.ipam.podCIDRs}) or {@code multi-pool} (blocks of the pools pods name
	 * with {@code ipam.cilium.io/ip-pool}, from {@code spec.ipam.pools}), as upstream's
	 * {@code ipam} option
	 * @param multiPoolPreAllocation multi-pool: addresses kept free per pool, as
	 * upstream's {@code ipam-multi-pool-pre-allocation} ({@code pool=count,...}); a pool
	 * listed here stays requested even while no pod uses it
	 * @param poolWait multi-pool: how long a new pod waits for a block of its pool before
	 * its CNI ADD fails with the reason (the runtime then retries)
	 */
	public record Ipam(@DefaultValue("10.0.0.0/24") String podCidr, @DefaultValue("cluster-pool") String mode,
			@DefaultValue("default=8") String multiPoolPreAllocation, @DefaultValue("15s") Duration poolWait) {

		/** {@link #mode()} of multi-pool IPAM. */
		public static final String MULTI_POOL = "multi-pool";

		public Ipam {
			if (podCidr.contains(":")) {
				throw new IllegalArgumentException("jcilium.agent.ipam.pod-cidr " + podCidr
						+ " is IPv6; only IPv4 pod CIDRs are supported so far");
			}
			if (!"cluster-pool".equals(mode) && !MULTI_POOL.equals(mode)) {
				throw new IllegalArgumentException(
						"jcilium.agent.ipam.mode '" + mode + "' is neither cluster-pool nor multi-pool");
			}
			preAllocation(multiPoolPreAllocation);
		}

		/**
		 * {@link #multiPoolPreAllocation()} as pool name to addresses.
		 * @throws IllegalArgumentException naming the setting and the bad entry
		 */
		public Map<String, Integer> preAllocation() {
			return preAllocation(this.multiPoolPreAllocation);
		}

		private static Map<String, Integer> preAllocation(String text) {
			Map<String, Integer> pools = new LinkedHashMap<>();
			for (String entry : text.split(",")) {
				if (entry.isBlank()) {
					continue;
				}
				String[] parts = entry.split("=", 2);
				try {
					int count = Integer.parseInt(parts[1].strip());
					if (parts[0].isBlank() || count < 0) {
						throw new NumberFormatException();
					}
					pools.put(parts[0].strip(), count);
				}
				catch (RuntimeException ex) {
					throw new IllegalArgumentException("jcilium.agent.ipam.multi-pool-pre-allocation entry '"
							+ entry.strip() + "' is not pool=count (e.g. default=8)", ex);
				}
			}
			return pools;
		}

	}

	/**
	 * @param addSyncTimeout how long CNI ADD waits for the endpoint to become ready;
	 * after that the endpoint is removed and ADD fails (CNI code 11, try again later)
	 * @param retryInitialDelay first retry delay for an endpoint waiting for its identity
	 * or datapath, doubled per failure
	 * @param retryMaxDelay the cap of the retry delay
	 * @param regenerationWorkers endpoints regenerated in parallel; a regeneration mostly
	 * waits (identity-service, state file sync), so a burst of new pods needs more than
	 * the cores
	 * @param orphanGracePeriod how long an address and veth with no endpoint are held at
	 * least before no pod claiming the address frees them (the kubelet reports a new
	 * pod's address late)
	 * @param orphanReconcileInterval how often held orphans are checked against this
	 * node's pods (also at once on pod events)
	 * @param concurrentSetups new endpoints whose veth and guard (forked {@code ip} runs,
	 * bpf_lxc through the verifier: the CPU-heavy steps of an ADD) are set up at once; 0
	 * for the number of cores. The API's workers and connections stay many: a burst's
	 * ADDs wait here in arrival order instead of sharing the cores a hundred ways
	 * @param linkSetup how pods' veths, addresses and routes are made: {@code netlink}
	 * (requests from inside the agent) or {@code ip} (iproute2 runs, two per pod)
	 */
	public record Lifecycle(@DefaultValue("5s") Duration addSyncTimeout,
			@DefaultValue("200ms") Duration retryInitialDelay, @DefaultValue("5s") Duration retryMaxDelay,
			@DefaultValue("8") int regenerationWorkers, @DefaultValue("2m") Duration orphanGracePeriod,
			@DefaultValue("1m") Duration orphanReconcileInterval, @DefaultValue("0") int concurrentSetups,
			@DefaultValue("netlink") LinkSetup linkSetup) {

		EndpointLifecycleSettings settings(Path endpointStateDir) {
			return new EndpointLifecycleSettings(this.addSyncTimeout, this.retryInitialDelay, this.retryMaxDelay,
					this.regenerationWorkers, endpointStateDir, this.concurrentSetups);
		}

	}

	/** How pods' links are set up. */
	public enum LinkSetup {

		/** rtnetlink requests from inside the agent, no process per step. */
		NETLINK,

		/** iproute2: one {@code ip -batch} in the pod's namespace, one in the node's. */
		IP

	}

}
