/* Per-CPU packet/byte counters by reason and direction (no atomics needed per CPU). */
#pragma once

#include "maps.h"

static __always_inline void metrics_update(__u8 reason, __u8 dir, __u32 bytes)
{
	struct metrics_key key = { .reason = reason, .dir = dir };
	struct metrics_value *value, fresh = { .count = 1, .bytes = bytes };

	value = bpf_map_lookup_elem(&metrics, &key);
	if (likely(value)) {
		value->count += 1;
		value->bytes += bytes;
		return;
	}
	bpf_map_update_elem(&metrics, &key, &fresh, BPF_NOEXIST);
}
