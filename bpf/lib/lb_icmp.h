/*
 * ICMP errors about translated connections (upstream's reverse NAT of ICMP errors in
 * nodeport.h / nat.h). A backend's "port unreachable", a router's "fragmentation needed"
 * or "time exceeded" quote the packet as the backend side saw it (client or node:port ->
 * backend), which the client never sent: it would drop the error, and a connected UDP
 * socket would wait for its timeout instead of failing with ECONNREFUSED at once.
 *
 * The quoted packet's tuple, reversed, is the reply tuple of lb_nat_rev, whose entry says
 * what the client knows: the frontend and the client's own address and port. The quote is
 * rewritten to client -> frontend, the outer source to the frontend when it is the backend
 * itself (a router keeps its own address), the outer destination to the client (it is this
 * node with SNAT). Checksums: the quoted IP header's, and the ICMP checksum over every
 * rewritten byte (ICMPv4 has no pseudo header). The quoted L4 checksum is left alone: the
 * quote may be cut short and receivers do not check it (RFC 1122 section 3.2.2).
 * IPv4 only, as the rest of the tc LB.
 */
#pragma once

#include "nodeport.h"

#define ICMP_CSUM_OFF		2
#define ICMP_QUOTE_OFF		8	/* the quoted IP header after type, code, checksum, rest */

/* The quoted packet's words that may change, in wire order. */
struct lb_icmp_quote {
	__be32 ttl_proto_csum;	/* quoted IP bytes 8..11: ttl, protocol, header checksum */
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
};

static __always_inline __u16 csum_fold32(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

static __always_inline int lb_icmp_rewrite_outer(struct __sk_buff *skb, const struct flow *f, __u32 off, __be32 old,
						 __be32 new)
{
	if (old == new)
		return 0;
	if (bpf_l3_csum_replace(skb, f->l3_off + 10, old, new, sizeof(new)) < 0 ||
	    bpf_skb_store_bytes(skb, f->l3_off + off, &new, sizeof(new), 0) < 0)
		return DROP_WRITE_ERROR;
	return 0;
}

/*
 * Translates an ICMPv4 error about a tracked connection. Returns the entry it followed
 * (for forwarding) or NULL when the quoted packet belongs to no translated connection;
 * *ret is negative when a rewrite failed.
 */
static __always_inline struct lb_nat_entry *lb_icmp_reverse(struct __sk_buff *skb, const struct flow *f, int *ret)
{
	struct lb_icmp_quote old = {}, new;
	struct lb_nat_tuple reply = {};
	struct lb_nat_entry *to;
	__u32 quote_off = f->l4_off + ICMP_QUOTE_OFF, quote_l4_off;
	__be32 outer_saddr, outer_daddr;
	__u8 version_ihl, proto;
	__u16 inner_csum;
	__s64 diff;

	*ret = 0;
	if (f->fragment || bpf_skb_load_bytes(skb, quote_off, &version_ihl, 1) < 0 || (version_ihl >> 4) != 4 ||
	    (version_ihl & 0xf) < 5)
		return NULL;
	quote_l4_off = quote_off + (version_ihl & 0xf) * 4;
	if (bpf_skb_load_bytes(skb, quote_off + 8, &old, 12) < 0 ||
	    bpf_skb_load_bytes(skb, quote_l4_off, &old.sport, 4) < 0)
		return NULL;
	proto = ((__u8 *)&old.ttl_proto_csum)[1];
	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP)
		return NULL;

	/* the quote is backend-side (X -> backend); its reply is what lb_nat_rev is keyed by */
	__builtin_memcpy(reply.saddr, &old.daddr, 4);
	__builtin_memcpy(reply.daddr, &old.saddr, 4);
	reply.sport = old.dport;
	reply.dport = old.sport;
	reply.proto = proto;
	reply.family = FAMILY_IPV4;
	to = bpf_map_lookup_elem(&lb_nat_rev, &reply);
	if (!to)
		return NULL;

	new = old;
	__builtin_memcpy(&new.saddr, to->to_daddr, 4);
	new.sport = to->to_dport;
	__builtin_memcpy(&new.daddr, to->to_saddr, 4);
	new.dport = to->to_sport;
	__builtin_memcpy(&inner_csum, (__u8 *)&old.ttl_proto_csum + 2, 2);
	diff = bpf_csum_diff(&old.saddr, 8, &new.saddr, 8, (__u16)~inner_csum);
	if (diff < 0)
		goto fail;
	inner_csum = csum_fold32((__u32)diff);
	__builtin_memcpy((__u8 *)&new.ttl_proto_csum + 2, &inner_csum, 2);

	/* every rewritten byte of the ICMP message, folded into the ICMP checksum */
	diff = bpf_csum_diff((__be32 *)&old, sizeof(old), (__be32 *)&new, sizeof(new), 0);
	if (diff < 0 || bpf_l4_csum_replace(skb, f->l4_off + ICMP_CSUM_OFF, 0, (__u32)diff, 0) < 0)
		goto fail;
	if (bpf_skb_store_bytes(skb, quote_off + 8, &new, 12, 0) < 0 ||
	    bpf_skb_store_bytes(skb, quote_l4_off, &new.sport, 4, 0) < 0)
		goto fail;

	__builtin_memcpy(&outer_saddr, f->saddr, 4);
	__builtin_memcpy(&outer_daddr, f->daddr, 4);
	if (outer_saddr == old.daddr)
		*ret = lb_icmp_rewrite_outer(skb, f, 12, outer_saddr, new.daddr);
	if (*ret == 0 && outer_daddr == old.saddr)
		*ret = lb_icmp_rewrite_outer(skb, f, 16, outer_daddr, new.saddr);
	return to;
fail:
	*ret = DROP_WRITE_ERROR;
	return to;
}
