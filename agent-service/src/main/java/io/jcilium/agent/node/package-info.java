/**
 * This node as the cluster describes it: its pod CIDR (from its CiliumNode, else the
 * configured one), its addresses, and the other nodes' prefixes fed into the ipcache.
 */
package io.jcilium.agent.node;
