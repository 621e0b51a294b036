/**
 * Direct routing between nodes, as upstream's {@code auto-direct-node-routes}: a route to
 * every other node's pod CIDRs via that node's InternalIP, computed from the CiliumNodes
 * and kept converged in the kernel's main table. Policy on the receiving node takes the
 * sender's identity from the ipcache by source address.
 */
package io.jcilium.agent.node.routing;
