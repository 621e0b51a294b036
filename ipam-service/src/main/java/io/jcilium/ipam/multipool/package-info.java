/**
 * Multi-pool IPAM: named pools, blocks handed to the nodes that need them, and the choice
 * of pool for a pod.
 */
package io.jcilium.ipam.multipool;
