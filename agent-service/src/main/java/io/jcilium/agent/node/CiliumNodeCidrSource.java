package io.jcilium.agent.node;

import java.time.Duration;
import java.util.List;

import io.jcilium.agent.endpoint.PodCidrSource;
import io.jcilium.common.net.Cidr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pod CIDR from this node's CiliumNode, with the configured one as fallback while no
 * CiliumNode (or no IPv4 CIDR in it) is known.
 */
final class CiliumNodeCidrSource implements NodeCidrSource, PodCidrSource {

	private static final Logger logger = LoggerFactory.getLogger(CiliumNodeCidrSource.class);

	private final String fallback;

	private final Duration wait;

	private volatile String assigned;

	CiliumNodeCidrSource(String fallback) {
		this(fallback, Duration.ZERO);
	}

	/**
	 * @param fallback the configured CIDR
	 * @param wait how long {@link #awaitPodCidr()} waits for the CiliumNode's CIDR
	 */
	CiliumNodeCidrSource(String fallback, Duration wait) {
		this.fallback = fallback;
		this.wait = wait;
	}

	/**
	 * Waits (up to the configured time) for this node's CiliumNode to carry a pod CIDR,
	 * as upstream's agent waits for its CiliumNode in cluster-pool mode.
	 */
	@Override
	public String awaitPodCidr() {
		long deadline = System.nanoTime() + this.wait.toNanos();
		while (this.assigned == null && System.nanoTime() < deadline) {
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		String current = this.assigned;
		if (current != null) {
			logger.info("pod CIDR {} from this node's CiliumNode", current);
			return current;
		}
		if (!this.wait.isZero()) {
			logger.warn("no pod CIDR in this node's CiliumNode after {}; using the configured {}", this.wait,
					this.fallback);
		}
		return this.fallback;
	}

	/**
	 * Take the CIDRs from this node's CiliumNode.
	 * @param podCidrs {@code spec.ipam.podCIDRs}, {@code null} or empty if none
	 */
	void update(List<String> podCidrs) {
		String ipv4 = null;
		if (podCidrs != null) {
			for (String text : podCidrs) {
				try {
					if (Cidr.parse(text).isIpv4()) {
						ipv4 = text;
						break;
					}
				}
				catch (IllegalArgumentException ignored) {
					// A malformed entry is skipped; the operator writes these.
				}
			}
		}
		this.assigned = ipv4;
	}

	@Override
	public String podCidr() {
		String current = this.assigned;
		return (current != null) ? current : this.fallback;
	}

	@Override
	public boolean assignedByCluster() {
		return this.assigned != null;
	}

}
