package io.jcilium.api.crd;

/**
 * Group and versions shared by every cilium.io resource.
 */
public final class CiliumGroup {

	public static final String GROUP = "cilium.io";

	public static final String V2 = "v2";

	public static final String V2ALPHA1 = "v2alpha1";

	private CiliumGroup() {
	}

}
