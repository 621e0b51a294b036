/**
 * Pods' links (veth pair, addresses, routes) over rtnetlink through jnr-ffi: the kernel
 * edge behind the link package's {@code LinkOperations}.
 */
package io.jcilium.agent.datapath.link;
