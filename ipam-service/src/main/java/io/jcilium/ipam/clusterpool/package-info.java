/**
 * Cluster-pool IPAM: every node gets one pod CIDR per family from the cluster CIDRs.
 */
package io.jcilium.ipam.clusterpool;
