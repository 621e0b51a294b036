/*
 * ICMP errors about translated connections (upstream's reverse NAT of ICMP errors in
 * nodeport.h / nat.h, snat_v4_rev_nat_handle_icmp_error). A backend's "port unreachable",
 * a router's "fragmentation needed" or "time exceeded" quote the packet as it was on the
 * wire after translation, which the endpoint that sent it never sent: it would drop the
 * error, and a connected UDP socket would wait for its timeout instead of failing with
 * ECONNREFUSED at once; a TCP connection would never learn a smaller path MTU.
 *
 * One rule serves every table whose entries say "a packet with this tuple becomes that
 * tuple" (struct lb_nat_entry): the quoted packet's tuple, reversed, is the key of the
 * entry for the packets coming back the other way, which says what the other side knows.
 *   lb_nat_rev    the tc LB: the quote (client or node:port -> backend) becomes
 *                 client -> frontend
 *   snat_v4_rev   masquerade, errors from outside: the quote (node:port -> remote) becomes
 *                 pod:port -> remote
 *   snat_v4_fwd   masquerade, a pod's own error about a reply it got (remote -> pod:port)
 *                 becomes remote -> node:port
 * The quote is rewritten to that, the outer source to the quote's new destination when it
 * was the quote's destination (a backend, or the pod; a router keeps its own address), the
 * outer destination to the quote's new source when it was the quote's source. Checksums:
 * the quoted IP header's, the quoted L4 checksum when the quote holds it (its pseudo header
 * and ports changed; a UDP checksum of 0 stays "none"), and the ICMP checksum over every
 * rewritten byte (ICMPv4 has no pseudo header). A quoted ICMP echo request (an error about a
 * ping) is keyed by its identifier as the source port, 0 as the destination port, as the
 * masquerade tables key echo requests. IPv4 only, as the tables.
 */
#pragma once

#include "nodeport.h"
#include "nat.h"

#define ICMP_CSUM_OFF		2
#define ICMP_QUOTE_OFF		8	/* the quoted IP header after type, code, checksum, rest */

/* The quoted packet's words that may change, in wire order. */
struct lb_icmp_quote {
	__be32 ttl_proto_csum;	/* quoted IP bytes 8..11: ttl, protocol, header checksum */
	__be32 saddr;
	__be32 daddr;
	__be16 sport;		/* a quoted echo request: its identifier */
	__be16 dport;		/* a quoted echo request: its sequence number (never changed) */
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

/* Where a TCP, UDP or ICMP header (a packet's own or a quoted one) keeps its checksum. */
static __always_inline __u32 l4_csum_offset(__u8 proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return 16;
	case IPPROTO_UDP:
		return 6;
	default:
		return 2;	/* ICMP, e.g. a quoted echo request */
	}
}

/*
 * The quoted L4 checksum after the rewrite, when the quote holds it: *old_word and
 * *new_word receive it as the first half of a 32-bit word for the ICMP checksum's diff
 * (both 0 when it is not there or not changed). Returns <0 on a failed write.
 */
static __always_inline int icmp_quote_l4_csum(struct __sk_buff *skb, __u32 csum_off, __u8 proto,
					      struct lb_icmp_quote *old, struct lb_icmp_quote *new,
					      __be32 *old_word, __be32 *new_word)
{
	__u16 csum, updated;
	__s64 diff;

	*old_word = 0;
	*new_word = 0;
	if (bpf_skb_load_bytes(skb, csum_off, &csum, sizeof(csum)) < 0)
		return 0;	/* the quote is cut short before the checksum */
	if (proto == IPPROTO_UDP && csum == 0)
		return 0;	/* UDP without checksum */
	if (proto == IPPROTO_ICMP)
		/* no pseudo header: only the identifier changed */
		diff = bpf_csum_diff((__be32 *)&old->sport, 4, (__be32 *)&new->sport, 4, (__u16)~csum);
	else
		diff = bpf_csum_diff(&old->saddr, 12, &new->saddr, 12, (__u16)~csum);
	if (diff < 0)
		return DROP_WRITE_ERROR;
	updated = csum_fold32((__u32)diff);
	if (proto == IPPROTO_UDP && updated == 0)
		updated = 0xffff;	/* RFC 768: a computed 0 is sent as all ones */
	if (bpf_skb_store_bytes(skb, csum_off, &updated, sizeof(updated), 0) < 0)
		return DROP_WRITE_ERROR;
	__builtin_memcpy(old_word, &csum, 2);
	__builtin_memcpy(new_word, &updated, 2);
	return 0;
}

/*
 * The translation's buffers: the key, the quote before and after, the quoted L4 checksum
 * before and after. Per CPU rather than on the stack: the NodePort path leaves the
 * programs' 512-byte stack no room for them.
 */
struct icmp_error_scratch {
	struct lb_nat_tuple reply;
	struct lb_icmp_quote old;
	struct lb_icmp_quote new;
	__be32 csum_old;
	__be32 csum_new;
	__u32 quote_off;	/* where the quoted IP header starts */
	__u32 quote_l4_off;	/* where its L4 header starts */
	__u32 ports_off;	/* where its ports (an echo's identifier) are */
	__u8 proto;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct icmp_error_scratch);
	__uint(max_entries, 1);
} icmp_error_scratch SEC(".maps");

/*
 * Translates an ICMPv4 error whose quoted packet has an entry in lb_nat_rev, or else in
 * the masquerade table of its direction (from_outside: snat_v4_rev, else snat_v4_fwd),
 * keyed by the quote's tuple reversed. Returns the entry it followed (for forwarding) or
 * NULL when the quoted packet belongs to no connection of either; *ret is negative when a
 * rewrite failed. What lives across helper calls sits in the scratch buffer, not in
 * spilled registers: the stack is what is short.
 */
static __always_inline struct lb_nat_entry *icmp_error_translate(struct __sk_buff *skb, const struct flow *f,
								 bool from_outside, int *ret)
{
	struct icmp_error_scratch *s;
	struct lb_nat_entry *to;
	__be32 outer_saddr, outer_daddr;
	__u8 version_ihl, type;
	__u32 zero = 0;
	__u16 inner_csum;
	__s64 diff;

	*ret = 0;
	s = bpf_map_lookup_elem(&icmp_error_scratch, &zero);
	if (!s || f->fragment)
		return NULL;
	__builtin_memset(s, 0, sizeof(*s));
	s->quote_off = f->l4_off + ICMP_QUOTE_OFF;
	if (bpf_skb_load_bytes(skb, s->quote_off, &version_ihl, 1) < 0 || (version_ihl >> 4) != 4 ||
	    (version_ihl & 0xf) < 5)
		return NULL;
	s->quote_l4_off = s->quote_off + (version_ihl & 0xf) * 4;
	if (bpf_skb_load_bytes(skb, s->quote_off + 8, &s->old, 12) < 0)
		return NULL;
	s->proto = ((__u8 *)&s->old.ttl_proto_csum)[1];
	s->ports_off = s->quote_l4_off;
	if (s->proto == IPPROTO_ICMP) {
		/* only an echo request has an identifier our tables know */
		if (bpf_skb_load_bytes(skb, s->quote_l4_off, &type, 1) < 0 || type != ICMP_ECHO)
			return NULL;
		s->ports_off = s->quote_l4_off + 4;
	} else if (s->proto != IPPROTO_TCP && s->proto != IPPROTO_UDP) {
		return NULL;
	}
	if (bpf_skb_load_bytes(skb, s->ports_off, &s->old.sport, 4) < 0)
		return NULL;

	/* the tuple the other way round: what the map is keyed by */
	__builtin_memcpy(s->reply.saddr, &s->old.daddr, 4);
	__builtin_memcpy(s->reply.daddr, &s->old.saddr, 4);
	s->reply.sport = s->proto == IPPROTO_ICMP ? 0 : s->old.dport;
	s->reply.dport = s->old.sport;
	s->reply.proto = s->proto;
	s->reply.family = FAMILY_IPV4;
	to = bpf_map_lookup_elem(&lb_nat_rev, &s->reply);
	if (!to && from_outside)
		to = bpf_map_lookup_elem(&snat_v4_rev, &s->reply);
	else if (!to)
		to = bpf_map_lookup_elem(&snat_v4_fwd, &s->reply);
	if (!to)
		return NULL;

	s->new = s->old;
	__builtin_memcpy(&s->new.saddr, to->to_daddr, 4);
	s->new.sport = to->to_dport;
	__builtin_memcpy(&s->new.daddr, to->to_saddr, 4);
	if (s->proto != IPPROTO_ICMP)
		s->new.dport = to->to_sport;
	__builtin_memcpy(&inner_csum, (__u8 *)&s->old.ttl_proto_csum + 2, 2);
	diff = bpf_csum_diff(&s->old.saddr, 8, &s->new.saddr, 8, (__u16)~inner_csum);
	if (diff < 0)
		goto fail;
	inner_csum = csum_fold32((__u32)diff);
	__builtin_memcpy((__u8 *)&s->new.ttl_proto_csum + 2, &inner_csum, 2);

	*ret = icmp_quote_l4_csum(skb, s->quote_l4_off + l4_csum_offset(s->proto), s->proto, &s->old,
				  &s->new, &s->csum_old, &s->csum_new);
	if (*ret < 0)
		return to;

	/* every rewritten byte of the ICMP message, folded into the ICMP checksum */
	diff = bpf_csum_diff((__be32 *)&s->old, sizeof(s->old), (__be32 *)&s->new, sizeof(s->new), 0);
	if (diff < 0)
		goto fail;
	diff = bpf_csum_diff(&s->csum_old, 4, &s->csum_new, 4, (__u32)diff);
	if (diff < 0 || bpf_l4_csum_replace(skb, f->l4_off + ICMP_CSUM_OFF, 0, (__u32)diff, 0) < 0)
		goto fail;
	if (bpf_skb_store_bytes(skb, s->quote_off + 8, &s->new, 12, 0) < 0 ||
	    bpf_skb_store_bytes(skb, s->ports_off, &s->new.sport, 4, 0) < 0)
		goto fail;

	__builtin_memcpy(&outer_saddr, f->saddr, 4);
	__builtin_memcpy(&outer_daddr, f->daddr, 4);
	if (outer_saddr == s->old.daddr)
		*ret = lb_icmp_rewrite_outer(skb, f, 12, outer_saddr, s->new.daddr);
	if (*ret == 0 && outer_daddr == s->old.saddr)
		*ret = lb_icmp_rewrite_outer(skb, f, 16, outer_daddr, s->new.saddr);
	return to;
fail:
	*ret = DROP_WRITE_ERROR;
	return to;
}
