/**
 * Routing between nodes, in upstream's two routing modes. Native: with
 * {@code auto-direct-node-routes}, a route to every other node's pod CIDRs via that
 * node's InternalIP; the receiving node takes the sender's identity from the ipcache by
 * source address. Tunnel: every other node's pod CIDRs routed into this node's VXLAN
 * device, whose programs ({@code datapath.overlay}) encapsulate with the source's
 * identity in the VNI. Both computed from the CiliumNodes and kept converged in the
 * kernel's main table.
 */
package io.jcilium.agent.node.routing;
