/**
 * The policy model: rules, peers and ports normalised from NetworkPolicy,
 * CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy.
 */
package io.jcilium.common.policy.model;
