/**
 * Multi-pool IPAM on the leader: {@code CiliumPodIPPool}s mirrored into ipam-service, and
 * the pool blocks each node requests in its {@code CiliumNode}.
 */
package io.jcilium.operator.multipool;
