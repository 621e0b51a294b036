/**
 * The core shared by cluster-pool and multi-pool IPAM: pools of CIDRs carved into
 * fixed-size blocks, each block owned by at most one node.
 */
package io.jcilium.ipam.block;
