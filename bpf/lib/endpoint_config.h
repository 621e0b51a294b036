/*
 * This endpoint's settings. The only load-time constant of bpf_lxc is the endpoint id
 * (ENDPOINT_ID, .rodata): it never changes for an endpoint. Everything else (identity,
 * host-side ifindex, flags) is read from the endpoint_config map at the start of each run,
 * so the agent changes it with a map write while the programs keep running.
 *
 * Fail closed: without an entry for this endpoint (not written yet, or removed) the program
 * sees endpoint id 0 and drops every packet in both directions with DROP_NO_CONFIG.
 */
#pragma once

#include "maps.h"

/* Filled in by the loader before load; the verifier sees it as a constant. */
volatile const __u32 ENDPOINT_ID = 0;

/* Copies this endpoint's entry into *cfg: true when there is one, else *cfg is all zero. */
static __always_inline bool endpoint_config_load(struct lxc_config *cfg)
{
	__u32 key = ENDPOINT_ID;
	const struct lxc_config *entry = bpf_map_lookup_elem(&endpoint_config, &key);

	if (!entry || !key || entry->endpoint_id != key) {
		__builtin_memset(cfg, 0, sizeof(*cfg));
		return false;
	}
	*cfg = *entry;
	return true;
}
