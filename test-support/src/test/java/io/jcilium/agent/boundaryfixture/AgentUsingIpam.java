package io.jcilium.agent.boundaryfixture;

import io.jcilium.ipam.boundaryfixture.IpamInternal;

/** Test fixture: an agent class that crosses into ipam-service's classes. */
public final class AgentUsingIpam {

	public int blocks() {
		return IpamInternal.blocks();
	}

}
