/**
 * L2 announcements, as upstream's {@code pkg/l2announcer}: for each service a
 * {@code CiliumL2AnnouncementPolicy} selects on this node, the node takes part in the
 * election on the Lease {@code cilium-l2announce-<namespace>-<service>}; the winner
 * answers ARP and NDP for the service's addresses on the selected devices (the
 * {@code bpf_l2.o} responder) and tells the LAN with a gratuitous ARP or unsolicited
 * neighbour advertisement.
 */
package io.jcilium.agent.l2announce;
