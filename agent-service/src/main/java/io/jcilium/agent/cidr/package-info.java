/**
 * CIDR identities: the prefixes CIDR rules name ({@code toCIDR}, {@code fromCIDR},
 * {@code toCIDRSet}/{@code fromCIDRSet} and their {@code except}s, NetworkPolicy
 * {@code ipBlock}) get node-local identities, which go into the policy engine and, as
 * prefixes, into the ipcache, so the datapath's longest-prefix match resolves an outside
 * address to the identity the rules select or not.
 */
package io.jcilium.agent.cidr;
