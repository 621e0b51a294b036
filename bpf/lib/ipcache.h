/* Identity of a remote address: longest-prefix match in the ipcache, world if unknown. */
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
	return info ? info->identity : IDENTITY_WORLD;
}
