/**
 * LoadBalancer IP address management: the rules assigning addresses from
 * {@code CiliumLoadBalancerIPPool}s to {@code type: LoadBalancer} Services (plain Java),
 * and the reconciler applying them to the Kubernetes API.
 */
package io.jcilium.operator.lbipam;
