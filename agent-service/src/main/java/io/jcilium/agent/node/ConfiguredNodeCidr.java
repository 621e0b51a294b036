package io.jcilium.agent.node;

import java.util.Optional;

import io.jcilium.agent.endpoint.PodCidrSource;

/**
 * The configured pod CIDR ({@code jcilium.agent.ipam.pod-cidr}), for an agent without
 * Kubernetes: no operator assigns one, and no other node shares it.
 */
final class ConfiguredNodeCidr implements NodeCidrSource, PodCidrSource {

	private final String podCidr;

	ConfiguredNodeCidr(String podCidr) {
		this.podCidr = podCidr;
	}

	@Override
	public Optional<String> podCidr() {
		return Optional.of(this.podCidr);
	}

	@Override
	public boolean assignedByCluster() {
		return false;
	}

	@Override
	public String awaitPodCidr() {
		return this.podCidr;
	}

}
