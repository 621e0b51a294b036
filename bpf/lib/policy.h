/*
 * Policy lookup in one endpoint's trie (found in the policy map-of-maps), upstream order: the most specific entry for the exact peer identity
 * (port, then protocol, then any), else the most specific entry for any identity; a deny
 * in either beats an allow. Within one identity the LPM trie picks the longest prefix,
 * so a port range is a handful of prefix entries and "any port" a shorter prefix.
 */
#pragma once

#include "maps.h"
#include "parse.h"

static __always_inline __u8 policy_match_type(const struct policy_entry *e, bool l3)
{
	if (e->prefix_len <= POLICY_STATIC_PREFIX)
		return l3 ? POLICY_MATCH_L3_ONLY : POLICY_MATCH_ALL;
	if (e->prefix_len <= POLICY_PROTO_PREFIX)
		return l3 ? POLICY_MATCH_L3_PROTO : POLICY_MATCH_PROTO_ONLY;
	return l3 ? POLICY_MATCH_L3_L4 : POLICY_MATCH_L4_ONLY;
}

static __always_inline void policy_account(struct policy_entry *e, __u32 len)
{
	__sync_fetch_and_add(&e->packets, 1);
	__sync_fetch_and_add(&e->bytes, len);
}

/*
 * Charges a packet of an admitted connection to the entry that admitted it, whose key
 * conntrack kept: so an entry counts every packet of its connections, established ones
 * and replies included, not only the opening packet that was looked up (per-rule bytes,
 * issue 14 point 6). The lookup is bounded by the entry's own prefix length and must land
 * on an entry of exactly that length: one removed since is charged to nobody rather than
 * to a broader entry (the next policy revision re-checks the connection anyway).
 */
static __always_inline void policy_charge(void *map, const struct ct_entry *ct, __u32 len)
{
	struct policy_entry *e;

	if (!map || !ct->policy_hit.prefixlen)
		return;
	e = bpf_map_lookup_elem(map, &ct->policy_hit);
	if (e && e->prefix_len == ct->policy_hit.prefixlen)
		policy_account(e, len);
}

static __always_inline void policy_hit_key(struct policy_key *hit, const struct policy_key *key, __u32 identity,
					   const struct policy_entry *e)
{
	*hit = *key;
	hit->identity = identity;
	hit->prefixlen = e->prefix_len;
}

/*
 * Looks the packet up in an endpoint's policy trie (map, never null: the caller drops
 * without one). Returns 0 (allowed) or DROP_POLICY / DROP_POLICY_DENY; *match_type says what matched
 * and *hit is the key of the entry that decided (prefixlen 0 when none did).
 */
static __always_inline int policy_check(void *map, __u32 peer_identity, __u8 egress, const struct flow *f,
					__u8 *match_type, struct policy_key *hit)
{
	struct policy_key key = {
		.prefixlen = POLICY_FULL_PREFIX,
		.identity = peer_identity,
		.egress = egress,
		.protocol = f->protocol,
		.dport = f->policy_port,
	};
	struct policy_entry *l3, *l4;

	l3 = bpf_map_lookup_elem(map, &key);
	key.identity = 0;
	l4 = bpf_map_lookup_elem(map, &key);

	if (l3 && (l3->flags & POLICY_F_DENY)) {
		policy_account(l3, f->len);
		policy_hit_key(hit, &key, peer_identity, l3);
		*match_type = policy_match_type(l3, true);
		return DROP_POLICY_DENY;
	}
	if (l4 && (l4->flags & POLICY_F_DENY)) {
		policy_account(l4, f->len);
		policy_hit_key(hit, &key, 0, l4);
		*match_type = policy_match_type(l4, false);
		return DROP_POLICY_DENY;
	}
	if (l3) {
		policy_account(l3, f->len);
		policy_hit_key(hit, &key, peer_identity, l3);
		*match_type = policy_match_type(l3, true);
		return 0;
	}
	if (l4) {
		policy_account(l4, f->len);
		policy_hit_key(hit, &key, 0, l4);
		*match_type = policy_match_type(l4, false);
		return 0;
	}
	*match_type = POLICY_MATCH_NONE;
	hit->prefixlen = 0;
	return DROP_POLICY;
}
