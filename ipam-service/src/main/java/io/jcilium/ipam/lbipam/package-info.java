/**
 * LB-IPAM: addresses for {@code type: LoadBalancer} services from
 * {@code CiliumLoadBalancerIPPool}s, as a plain-Java, level-triggered computation. The
 * Kubernetes side (reading pools and services, writing Service status and conditions) is
 * the operator's job.
 */
package io.jcilium.ipam.lbipam;
