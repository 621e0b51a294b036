/*
 * Whose packet this is. bpf_lxc is loaded once per node and its programs are attached to
 * every endpoint's host-side veth, so nothing endpoint-specific is compiled in: the
 * from_container / to_container hooks find the endpoint id under the veth's ifindex
 * (lxc_ifindex), lxc_policy gets it from its sender (skb->cb, local_delivery.h), and the
 * endpoint's settings (identity, host-side ifindex, flags) come from endpoint_config under
 * that id at the start of each run, so the agent changes them with a map write while the
 * programs keep running.
 *
 * Fail closed: without an ifindex entry, without a settings entry, with a settings entry
 * naming another endpoint or a veth not bound to it, or without a policy trie, the
 * program has no configuration and drops every packet in both directions with
 * DROP_NO_CONFIG.
 */
#pragma once

#include "maps.h"

/* The endpoint whose host-side veth has this ifindex, 0 when none. */
static __always_inline __u32 endpoint_of_ifindex(__u32 ifindex)
{
	const __u32 *id = bpf_map_lookup_elem(&lxc_ifindex, &ifindex);

	return id ? *id : 0;
}

/*
 * Copies endpoint id's entry into *cfg: true when there is one and it adds up, else *cfg
 * is all zero. It adds up when it names this endpoint and its veth: on a veth hook
 * (ifindex non-zero, the id found under it) the veth the packet is on; on the local
 * delivery path (ifindex 0) a veth still bound to this endpoint, so an endpoint whose veth
 * binding is gone gets nothing delivered either.
 */
static __always_inline bool endpoint_config_load(__u32 id, __u32 ifindex, struct lxc_config *cfg)
{
	const struct lxc_config *entry = 0;

	if (id)
		entry = bpf_map_lookup_elem(&endpoint_config, &id);
	if (!entry || entry->endpoint_id != id)
		goto none;
	if (ifindex ? entry->ifindex != ifindex : endpoint_of_ifindex(entry->ifindex) != id)
		goto none;
	*cfg = *entry;
	return true;
none:
	__builtin_memset(cfg, 0, sizeof(*cfg));
	return false;
}

/* The endpoint's policy trie, 0 when it has none (every policy decision then drops). */
static __always_inline void *endpoint_policy_map(__u32 id)
{
	return id ? bpf_map_lookup_elem(&policy, &id) : 0;
}

/* The endpoint's policy revision; 0 (never written) caches no verdict. */
static __always_inline __u32 endpoint_policy_revision(__u32 id)
{
	const __u32 *revision = bpf_map_lookup_elem(&policy_revision, &id);

	return revision ? *revision : 0;
}
