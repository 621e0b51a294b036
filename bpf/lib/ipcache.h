/*
 * Identity of a remote address: longest-prefix match in the ipcache. The agent writes
 * pods, nodes and the CIDR identities of the prefixes policies name (with their except
 * carve-outs as prefixes of their own), so the longest match is the most specific thing
 * known about the address. An address nothing covers is outside the cluster: world of its
 * family, as upstream's dual-stack datapath answers (WORLD_IPV4_ID / WORLD_IPV6_ID), so
 * toEntities world-ipv4 / world-ipv6 and fromCIDR 0.0.0.0/0 mean the same here as in the
 * offline trace.
 */
#pragma once

#include "maps.h"
#include "parse.h"

static __always_inline __u32 ipcache_identity(__u8 family, const __u8 *addr)
{
	struct ipcache_key key = {
		.prefixlen = 32 + (family == FAMILY_IPV4 ? 32 : 128),
		.family = family,
	};
	struct remote_endpoint_info *info;

	__builtin_memcpy(key.addr, addr, 16);
	info = bpf_map_lookup_elem(&ipcache, &key);
	if (info)
		return info->identity;
	return family == FAMILY_IPV4 ? IDENTITY_WORLD_IPV4 : IDENTITY_WORLD_IPV6;
}
