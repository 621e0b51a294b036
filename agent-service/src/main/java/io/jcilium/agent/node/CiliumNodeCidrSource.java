package io.jcilium.agent.node;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.jcilium.agent.endpoint.PodCidrSource;
import io.jcilium.common.net.Cidr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pod CIDR from this node's CiliumNode, and nothing else: no configured default
 * stands in while the CiliumNode (or its IPv4 CIDR) is late, since a default is the same
 * on every node and pods of two nodes would then share addresses. Until it arrives, pod
 * addresses wait and {@link #awaitPodCidr()} says why.
 */
final class CiliumNodeCidrSource implements NodeCidrSource, PodCidrSource {

	private static final Logger logger = LoggerFactory.getLogger(CiliumNodeCidrSource.class);

	private final String nodeName;

	private final Duration wait;

	private volatile String assigned;

	/**
	 * @param nodeName this node, named in the error while its CIDR is missing
	 * @param wait how long {@link #awaitPodCidr()} waits for the CiliumNode's CIDR
	 */
	CiliumNodeCidrSource(String nodeName, Duration wait) {
		this.nodeName = nodeName;
		this.wait = wait;
	}

	/**
	 * Waits (up to the configured time) for this node's CiliumNode to carry a pod CIDR,
	 * as upstream's agent waits for its CiliumNode in cluster-pool mode.
	 * @throws PodCidrNotAssignedException when it still has none: the caller (a CNI ADD)
	 * fails with the reason, and the next one waits again
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
		throw new PodCidrNotAssignedException("no IPv4 pod CIDR in CiliumNode " + this.nodeName
				+ " (spec.ipam.podCIDRs) after waiting " + this.wait
				+ ": the operator writes it from ipam-service; pods of this node get addresses once it is there");
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
	public Optional<String> podCidr() {
		return Optional.ofNullable(this.assigned);
	}

	@Override
	public boolean assignedByCluster() {
		return this.assigned != null;
	}

}
