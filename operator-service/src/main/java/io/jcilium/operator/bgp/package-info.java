/**
 * BGP control plane v2 in the operator: one {@code CiliumBGPNodeConfig} per node selected
 * by a {@code CiliumBGPClusterConfig}, with its {@code CiliumBGPNodeConfigOverride}
 * folded in, as upstream's operator writes them.
 */
package io.jcilium.operator.bgp;
