/*
 * Connection tracking. An entry is keyed by the tuple of the packet that opened the
 * connection plus the direction it was seen in and the endpoint that owns it (the one
 * whose program ran, its endpoint id); a packet matching that key is
 * ESTABLISHED, one matching the reversed tuple is a REPLY, an ICMP error quoting a
 * tracked packet is RELATED, always among the entries of the packet's own endpoint.
 * Entries expire (lifetimes as upstream's defaults); an
 * expired entry counts as absent and is overwritten by the next new connection.
 */
#pragma once

#include "maps.h"
#include "parse.h"

enum ct_status {
	CT_NEW = 0,
	CT_ESTABLISHED = 1,
	CT_REPLY = 2,
	CT_RELATED = 3,
};

#ifndef CT_LIFETIME_TCP_SEC
#define CT_LIFETIME_TCP_SEC	21600
#endif
#ifndef CT_LIFETIME_NONTCP_SEC
#define CT_LIFETIME_NONTCP_SEC	60
#endif
#ifndef CT_SYN_TIMEOUT_SEC
#define CT_SYN_TIMEOUT_SEC	60
#endif
#ifndef CT_CLOSE_TIMEOUT_SEC
#define CT_CLOSE_TIMEOUT_SEC	10
#endif

/*
 * TCP flags whose first appearance in a direction of a connection is traced even when the
 * endpoint does not trace every packet, as upstream's monitor aggregation "medium"
 * (--monitor-aggregation-flags syn,fin,rst): the SYN-ACK, each side's FIN, a RST.
 */
#define CT_REPORT_FLAGS		(TCP_F_SYN | TCP_F_FIN | TCP_F_RST)

static __always_inline __u32 ct_now_sec(void)
{
	return (__u32)(bpf_ktime_get_ns() / 1000000000ULL);
}

static __always_inline void ct_fill_key(struct ct_key *key, const struct flow *f, __u16 owner, __u8 dir,
					bool reverse)
{
	key->endpoint_id = owner;
	key->nexthdr = f->protocol;
	key->family = f->family;
	key->dir = dir;
	if (reverse) {
		__builtin_memcpy(key->saddr, f->daddr, 16);
		__builtin_memcpy(key->daddr, f->saddr, 16);
		key->sport = f->dport;
		key->dport = f->sport;
	} else {
		__builtin_memcpy(key->saddr, f->saddr, 16);
		__builtin_memcpy(key->daddr, f->daddr, 16);
		key->sport = f->sport;
		key->dport = f->dport;
	}
}

static __always_inline __u32 ct_lifetime(const struct ct_entry *e, __u8 protocol)
{
	if (protocol != IPPROTO_TCP)
		return CT_LIFETIME_NONTCP_SEC;
	if (e->flags & (CT_F_TX_CLOSING | CT_F_RX_CLOSING))
		return CT_CLOSE_TIMEOUT_SEC;
	if (!(e->flags & CT_F_SEEN_NON_SYN))
		return CT_SYN_TIMEOUT_SEC;
	return CT_LIFETIME_TCP_SEC;
}

static __always_inline void ct_touch(struct ct_entry *e, const struct flow *f, bool reply, __u32 now)
{
	__u32 expires;

	if (reply) {
		__sync_fetch_and_add(&e->rx_packets, 1);
		__sync_fetch_and_add(&e->rx_bytes, f->len);
	} else {
		__sync_fetch_and_add(&e->packets, 1);
		__sync_fetch_and_add(&e->bytes, f->len);
	}
	if (f->protocol == IPPROTO_TCP) {
		__u16 flags = e->flags;

		if (f->tcp_flags & (TCP_F_FIN | TCP_F_RST))
			flags |= reply ? CT_F_RX_CLOSING : CT_F_TX_CLOSING;
		if (f->tcp_flags & TCP_F_RST)
			flags |= CT_F_RX_CLOSING | CT_F_TX_CLOSING;
		if (!(f->tcp_flags & TCP_F_SYN))
			flags |= CT_F_SEEN_NON_SYN;
		if (flags != e->flags)
			e->flags = flags;
	}
	/* Only rewrite the expiry when it moves, to keep the cache line clean on busy flows. */
	expires = now + ct_lifetime(e, f->protocol);
	if (expires != e->expires_sec)
		e->expires_sec = expires;
}

static __always_inline struct ct_entry *ct_find(struct ct_key *key, __u32 now)
{
	struct ct_entry *e = bpf_map_lookup_elem(&ct, key);

	if (e && e->expires_sec > now)
		return e;
	return 0;
}

/*
 * An ICMP error quotes the IP header and first 8 bytes of the packet that caused it:
 * rebuild that packet's tuple and see whether it belongs to a tracked connection.
 */
/* Out of line: only ICMP errors get here. */
static __attribute__((noinline)) bool ct_related(struct __sk_buff *skb, const struct flow *f, __u16 owner, __u8 dir,
						 __u32 now)
{
	struct flow inner = {};
	struct ct_key key = {};
	__u32 off = f->l4_off + 8;
	__u8 ports[4];

	inner.family = f->family;
	if (f->family == FAMILY_IPV4) {
		struct iphdr ip4;

		if (bpf_skb_load_bytes(skb, off, &ip4, sizeof(ip4)) < 0 || ip4.ihl < 5)
			return false;
		inner.protocol = ip4.protocol;
		__builtin_memcpy(inner.saddr, &ip4.saddr, 4);
		__builtin_memcpy(inner.daddr, &ip4.daddr, 4);
		off += ip4.ihl * 4;
	} else {
		struct ipv6hdr ip6;

		if (bpf_skb_load_bytes(skb, off, &ip6, sizeof(ip6)) < 0)
			return false;
		inner.protocol = ip6.nexthdr;
		__builtin_memcpy(inner.saddr, &ip6.saddr, 16);
		__builtin_memcpy(inner.daddr, &ip6.daddr, 16);
		off += sizeof(ip6);
	}
	if (inner.protocol == IPPROTO_TCP || inner.protocol == IPPROTO_UDP || inner.protocol == IPPROTO_SCTP) {
		if (bpf_skb_load_bytes(skb, off, ports, 4) < 0)
			return false;
		__builtin_memcpy(&inner.sport, &ports[0], 2);
		__builtin_memcpy(&inner.dport, &ports[2], 2);
	} else if (inner.protocol == IPPROTO_ICMP || inner.protocol == IPPROTO_ICMPV6) {
		__u8 echo[6];

		if (bpf_skb_load_bytes(skb, off, echo, 6) < 0)
			return false;
		__builtin_memcpy(&inner.sport, &echo[4], 2);
		inner.dport = inner.sport;
	}
	/* The quoted packet went the other way: it opened a connection in the opposite direction... */
	ct_fill_key(&key, &inner, owner, dir == CT_EGRESS ? CT_INGRESS : CT_EGRESS, false);
	if (ct_find(&key, now))
		return true;
	/* ...or it was a reply of a connection opened in this direction. */
	ct_fill_key(&key, &inner, owner, dir, true);
	return ct_find(&key, now) != 0;
}

/*
 * Classifies the packet; for ESTABLISHED and REPLY the entry's counters and expiry move and
 * *entry is the connection's entry (else left alone).
 */
static __always_inline enum ct_status ct_lookup(struct __sk_buff *skb, const struct flow *f, __u16 owner, __u8 dir,
						__u32 *src_identity, struct ct_entry **entry)
{
	struct ct_key key = {};
	struct ct_entry *e;
	__u32 now = ct_now_sec();

	ct_fill_key(&key, f, owner, dir, false);
	e = ct_find(&key, now);
	if (e) {
		/* A new SYN on a closing connection starts it over (port reuse). */
		if ((f->tcp_flags & (TCP_F_SYN | TCP_F_ACK)) == TCP_F_SYN &&
		    (e->flags & (CT_F_TX_CLOSING | CT_F_RX_CLOSING)))
			return CT_NEW;
		ct_touch(e, f, false, now);
		*entry = e;
		return CT_ESTABLISHED;
	}
	/* A reply crosses the opposite hook of the one that saw the connection open. */
	ct_fill_key(&key, f, owner, dir == CT_EGRESS ? CT_INGRESS : CT_EGRESS, true);
	e = ct_find(&key, now);
	if (e) {
		ct_touch(e, f, true, now);
		*src_identity = e->src_identity;
		*entry = e;
		return CT_REPLY;
	}
	if (f->icmp_error && ct_related(skb, f, owner, dir, now))
		return CT_RELATED;
	return CT_NEW;
}

/*
 * The owner's created counter if it may insert one more entry, else 0. Entries an endpoint
 * inserted minus those the agent's sweep found gone is what it holds (struct ct_counter);
 * racing CPUs may overshoot the share by a few entries, which is harmless.
 */
static __always_inline struct ct_counter *ct_quota(__u16 owner)
{
	struct ct_counter zero = {}, *created, *released;
	__u32 id = owner;

	created = bpf_map_lookup_elem(&ct_created, &id);
	if (unlikely(!created)) {
		bpf_map_update_elem(&ct_created, &id, &zero, BPF_NOEXIST);
		created = bpf_map_lookup_elem(&ct_created, &id);
		if (!created)
			return 0;
	}
	released = bpf_map_lookup_elem(&ct_released, &id);
	if (created->entries - (released ? released->entries : 0) >= CT_ENDPOINT_MAX)
		return 0;
	return created;
}

/*
 * Records an allowed new connection and the policy entry that admitted it: 0, or DROP_CT_CREATE_FAILED when the endpoint holds
 * its whole share of the table (or the table is full): the connection is refused rather
 * than another endpoint's connection evicted.
 */
static __always_inline int ct_create(const struct flow *f, __u16 owner, __u8 dir, __u32 src_identity,
				     __u32 policy_rev, const struct policy_key *policy_hit)
{
	struct ct_counter *created;
	int ret;

	struct ct_key key = {};
	struct ct_entry entry = {
		.packets = 1,
		.bytes = f->len,
		.src_identity = src_identity,
		.tx_flags_seen = f->tcp_flags & CT_REPORT_FLAGS,
		.policy_rev = policy_rev,
		.policy_hit = *policy_hit,
	};
	__u32 now = ct_now_sec();

	/* Only connection openers create state: a stray reply, RST or ICMP error does not. */
	if (f->protocol == IPPROTO_TCP && !(f->tcp_flags & TCP_F_SYN))
		entry.flags |= CT_F_SEEN_NON_SYN;
	if (f->protocol == IPPROTO_TCP && (f->tcp_flags & TCP_F_RST))
		return 0;
	if (f->icmp_error)
		return 0;
	entry.expires_sec = now + ct_lifetime(&entry, f->protocol);
	ct_fill_key(&key, f, owner, dir, false);
	created = ct_quota(owner);
	if (!created)
		return DROP_CT_CREATE_FAILED;
	ret = bpf_map_update_elem(&ct, &key, &entry, BPF_NOEXIST);
	if (ret == 0) {
		__sync_fetch_and_add(&created->entries, 1);
		return 0;
	}
	/* an expired or closing entry of the same tuple starts over: nothing new held */
	if (ret == -17 /* EEXIST */ && bpf_map_update_elem(&ct, &key, &entry, BPF_EXIST) == 0)
		return 0;
	return DROP_CT_CREATE_FAILED;
}
