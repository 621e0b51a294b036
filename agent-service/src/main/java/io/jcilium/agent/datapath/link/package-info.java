/**
 * Pods' links (veth pair, addresses, routes) over rtnetlink through jnr-ffi: the kernel
 * edge behind the link package's {@code LinkOperations}; and {@code NetlinkLinks}, the
 * devices of a namespace as netlink sees them from a thread inside it.
 */
package io.jcilium.agent.datapath.link;
