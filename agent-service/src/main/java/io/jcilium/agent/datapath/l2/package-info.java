/**
 * The kernel side of L2 announcements: the XDP program that answers ARP and neighbour
 * solicitations for the addresses this node announces, and the gratuitous frames sent
 * when it starts announcing one.
 */
package io.jcilium.agent.datapath.l2;
