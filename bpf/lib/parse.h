/* Packet parsing into a flow: addresses, protocol, ports (or ICMP type/id), TCP flags. */
#pragma once

#include "maps.h"

struct flow {
	__u8 saddr[16];
	__u8 daddr[16];
	__be16 sport;		/* ICMP echo: the identifier, so replies reverse onto the request */
	__be16 dport;		/* ICMP echo: the identifier too */
	__be16 policy_port;	/* port the policy matches: dport, or ICMP type << 8 */
	__u8 family;
	__u8 protocol;
	__u8 tcp_flags;		/* TCP_F_* */
	__u8 icmp_type;
	__u8 icmp_error;	/* 1: ICMP error quoting another packet (related traffic) */
	__u8 fragment;		/* FRAG_FIRST / FRAG_LATER, 0 when not fragmented */
	__u8 hop_limit;		/* IPv4 TTL / IPv6 hop limit as received */
	__u32 l3_off;
	__u32 l4_off;
	__u32 len;
};

#define TCP_F_FIN	0x01
#define TCP_F_SYN	0x02
#define TCP_F_RST	0x04
#define TCP_F_ACK	0x10

#define MAX_IPV6_EXT_HEADERS	4

#define FRAG_FIRST	1	/* first fragment: L4 header present, more fragments follow */
#define FRAG_LATER	2	/* a later fragment: no L4 header, ports from the first (frag_ports) */

/*
 * Fragments follow their first fragment (upstream's fragment maps): the first records its
 * ports, a later one takes them over, so conntrack and policy treat it as the first was
 * treated. A later fragment that arrives without its first is dropped, as upstream does.
 */
static __always_inline int parse_fragment(struct flow *f, __be32 id)
{
	struct frag_key key = { .id = id, .protocol = f->protocol, .family = f->family };
	struct frag_l4 *known, ports = {};

	__builtin_memcpy(key.saddr, f->saddr, 16);
	__builtin_memcpy(key.daddr, f->daddr, 16);
	if (f->fragment == FRAG_FIRST) {
		ports.sport = f->sport;
		ports.dport = f->dport;
		ports.policy_port = f->policy_port;
		ports.icmp_type = f->icmp_type;
		bpf_map_update_elem(&frag_ports, &key, &ports, BPF_ANY);
		return 0;
	}
	known = bpf_map_lookup_elem(&frag_ports, &key);
	if (!known)
		return DROP_FRAG_NOT_FOUND;
	f->sport = known->sport;
	f->dport = known->dport;
	f->policy_port = known->policy_port;
	f->icmp_type = known->icmp_type;
	return 0;
}

static __always_inline int ensure_linear(struct __sk_buff *skb, __u32 len)
{
	if ((void *)(long)skb->data + len <= (void *)(long)skb->data_end)
		return 0;
	if (bpf_skb_pull_data(skb, len) < 0)
		return DROP_INVALID;
	if ((void *)(long)skb->data + len > (void *)(long)skb->data_end)
		return DROP_INVALID;
	return 0;
}

/* Reads the L4 header at f->l4_off (ports, flags, ICMP type). */
static __always_inline int parse_l4(struct __sk_buff *skb, struct flow *f)
{
	__u8 hdr[8];

	if (f->fragment == FRAG_LATER)
		return 0;
	switch (f->protocol) {
	case IPPROTO_TCP:
		if (bpf_skb_load_bytes(skb, f->l4_off, hdr, 8) < 0)
			return DROP_CT_INVALID_HDR;
		__builtin_memcpy(&f->sport, &hdr[0], 2);
		__builtin_memcpy(&f->dport, &hdr[2], 2);
		if (bpf_skb_load_bytes(skb, f->l4_off + 13, &f->tcp_flags, 1) < 0)
			return DROP_CT_INVALID_HDR;
		f->policy_port = f->dport;
		return 0;
	case IPPROTO_UDP:
	case IPPROTO_SCTP:
		if (bpf_skb_load_bytes(skb, f->l4_off, hdr, 4) < 0)
			return DROP_CT_INVALID_HDR;
		__builtin_memcpy(&f->sport, &hdr[0], 2);
		__builtin_memcpy(&f->dport, &hdr[2], 2);
		f->policy_port = f->dport;
		return 0;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		if (bpf_skb_load_bytes(skb, f->l4_off, hdr, 8) < 0)
			return DROP_CT_INVALID_HDR;
		f->icmp_type = hdr[0];
		/* Upstream keys ICMP policy by type in the port field. */
		f->policy_port = bpf_htons((__u16)hdr[0] << 8);
		if (f->protocol == IPPROTO_ICMP) {
			if (hdr[0] == ICMP_ECHO || hdr[0] == ICMP_ECHOREPLY) {
				__builtin_memcpy(&f->sport, &hdr[4], 2);
				f->dport = f->sport;
			} else if (hdr[0] == ICMP_DEST_UNREACH || hdr[0] == ICMP_TIME_EXCEEDED ||
				   hdr[0] == ICMP_PARAMETERPROB) {
				f->icmp_error = 1;
			}
		} else {
			if (hdr[0] == ICMPV6_ECHO_REQUEST || hdr[0] == ICMPV6_ECHO_REPLY) {
				__builtin_memcpy(&f->sport, &hdr[4], 2);
				f->dport = f->sport;
			} else if (hdr[0] < 128) {
				/* types below 128 are errors (RFC 4443 section 2.1) */
				f->icmp_error = 1;
			}
		}
		return 0;
	default:
		return 0;
	}
}

static __always_inline int parse_ipv4(struct __sk_buff *skb, struct flow *f, __u32 off)
{
	struct iphdr *ip4;
	__be32 id = 0;
	int ret;

	ret = ensure_linear(skb, off + sizeof(*ip4));
	if (ret < 0)
		return ret;
	ip4 = (void *)(long)skb->data + off;
	if ((void *)(ip4 + 1) > (void *)(long)skb->data_end)
		return DROP_INVALID;
	if (ip4->ihl < 5)
		return DROP_INVALID;
	f->family = FAMILY_IPV4;
	f->protocol = ip4->protocol;
	__builtin_memcpy(f->saddr, &ip4->saddr, 4);
	__builtin_memcpy(f->daddr, &ip4->daddr, 4);
	if (ip4->frag_off & bpf_htons(0x1fff))
		f->fragment = FRAG_LATER;
	else if (ip4->frag_off & bpf_htons(0x2000))
		f->fragment = FRAG_FIRST;
	__builtin_memcpy(&id, &ip4->id, 2);
	f->hop_limit = ip4->ttl;
	f->l3_off = off;
	f->l4_off = off + ip4->ihl * 4;
	ret = parse_l4(skb, f);
	if (ret < 0 || !f->fragment)
		return ret;
	return parse_fragment(f, id);
}

static __always_inline int parse_ipv6(struct __sk_buff *skb, struct flow *f, __u32 off)
{
	struct ipv6hdr *ip6;
	__be32 id = 0;
	__u8 nexthdr;
	__u32 l4_off;
	int ret, i;

	ret = ensure_linear(skb, off + sizeof(*ip6));
	if (ret < 0)
		return ret;
	ip6 = (void *)(long)skb->data + off;
	if ((void *)(ip6 + 1) > (void *)(long)skb->data_end)
		return DROP_INVALID;
	f->family = FAMILY_IPV6;
	__builtin_memcpy(f->saddr, &ip6->saddr, 16);
	__builtin_memcpy(f->daddr, &ip6->daddr, 16);
	nexthdr = ip6->nexthdr;
	f->hop_limit = ip6->hop_limit;
	l4_off = off + sizeof(*ip6);

	/* Skip extension headers so policy sees the transport protocol (RFC 8200 section 4). */
#pragma unroll
	for (i = 0; i < MAX_IPV6_EXT_HEADERS; i++) {
		__u8 ext[2];

		if (nexthdr != IPPROTO_HOPOPTS && nexthdr != IPPROTO_ROUTING &&
		    nexthdr != IPPROTO_DSTOPTS && nexthdr != IPPROTO_FRAGMENT)
			break;
		if (bpf_skb_load_bytes(skb, l4_off, ext, 2) < 0)
			return DROP_INVALID_EXTHDR;
		if (nexthdr == IPPROTO_FRAGMENT) {
			__be16 frag_off;

			if (bpf_skb_load_bytes(skb, l4_off + 2, &frag_off, 2) < 0 ||
			    bpf_skb_load_bytes(skb, l4_off + 4, &id, 4) < 0)
				return DROP_INVALID_EXTHDR;
			/* offset, then the M flag (RFC 8200 section 4.5); neither: an atomic fragment */
			if (frag_off & bpf_htons(0xfff8))
				f->fragment = FRAG_LATER;
			else if (frag_off & bpf_htons(1))
				f->fragment = FRAG_FIRST;
			l4_off += 8;
		} else {
			l4_off += ((__u32)ext[1] + 1) * 8;
		}
		nexthdr = ext[0];
	}
	if (nexthdr == IPPROTO_HOPOPTS || nexthdr == IPPROTO_ROUTING ||
	    nexthdr == IPPROTO_DSTOPTS || nexthdr == IPPROTO_FRAGMENT)
		return DROP_INVALID_EXTHDR;
	f->protocol = nexthdr;
	f->l3_off = off;
	f->l4_off = l4_off;
	ret = parse_l4(skb, f);
	if (ret < 0 || !f->fragment)
		return ret;
	return parse_fragment(f, id);
}

/*
 * Returns 1 for IPv4/IPv6 parsed into f, 0 for other L3 (ARP and friends pass
 * untouched, as upstream lets ARP through to the proxy-ARP host side), or a DROP_*.
 */
static __always_inline int parse_packet(struct __sk_buff *skb, struct flow *f)
{
	int ret;

	f->len = skb->len;
	if (skb->protocol == bpf_htons(ETH_P_IP))
		ret = parse_ipv4(skb, f, ETH_HLEN);
	else if (skb->protocol == bpf_htons(ETH_P_IPV6))
		ret = parse_ipv6(skb, f, ETH_HLEN);
	else
		return 0;
	return ret < 0 ? ret : 1;
}
