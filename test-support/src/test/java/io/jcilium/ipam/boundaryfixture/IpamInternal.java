package io.jcilium.ipam.boundaryfixture;

/** Test fixture: stands for a class of ipam-service. */
public final class IpamInternal {

	public static int blocks() {
		return 1;
	}

}
