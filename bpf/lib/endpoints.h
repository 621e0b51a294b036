/* Local endpoints by IP: who sits behind a destination address on this node. */
#pragma once

#include "maps.h"

static __always_inline struct endpoint_info *endpoint_lookup(__u8 family, const __u8 *addr)
{
	struct endpoint_key key = { .family = family };

	__builtin_memcpy(key.addr, addr, 16);
	return bpf_map_lookup_elem(&endpoints, &key);
}
