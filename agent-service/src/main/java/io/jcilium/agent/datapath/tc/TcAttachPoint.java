package io.jcilium.agent.datapath.tc;

/**
 * Where on a device's clsact qdisc a program runs (libbpf
 * {@code enum bpf_tc_attach_point}).
 */
public enum TcAttachPoint {

	/** Packets the device receives; on a pod's host-side veth: what the pod sends. */
	INGRESS(1),

	/** Packets the device transmits; on a pod's host-side veth: what the pod receives. */
	EGRESS(2);

	private final int code;

	TcAttachPoint(int code) {
		this.code = code;
	}

	int code() {
		return this.code;
	}

}
