/**
 * The VXLAN overlay of routing mode {@code tunnel}: the node's VXLAN device in
 * collect-metadata mode ({@link VxlanDevice}) and {@code bpf_overlay.o} on it
 * ({@link OverlayDatapath}): encapsulation towards the destination's node with the
 * source's identity in the VNI, and on receipt ingress policy by that identity for
 * packets from known nodes only.
 */
package io.jcilium.agent.datapath.overlay;
