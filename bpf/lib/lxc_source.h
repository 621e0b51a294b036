/*
 * What a pod may send (upstream's source IP verification, ENABLE_SIP_VERIFICATION, and
 * the source MAC check of its DROP_INVALID_SMAC): a frame leaving a pod must carry the
 * endpoint's MAC and one of the endpoint's own addresses, as the agent wrote them into the
 * endpoints map (address -> endpoint id, MAC). Everything else the pod sends is dropped
 * before conntrack or policy see it, so no pod can speak with another's address, and no
 * pod can get an entry written under another pod's tuple. The identity of what passes is
 * the endpoint's own (its endpoint_config entry), never looked up from the packet's address.
 *
 * What an endpoint legitimately sends besides its own IP traffic:
 *  - ARP for its gateway: Ethernet and ARP sender MAC the endpoint's, sender IP its own;
 *  - IPv6 neighbour discovery and MLD from its link-local address (or :: while it has
 *    none), scoped to the link (icmp6_on_link): never routed, never delivered to a pod.
 * Any other EtherType is dropped (upstream: DROP_UNKNOWN_L3 from a container).
 */
#pragma once

#include "endpoints.h"
#include "parse.h"

#define ARP_HLEN	28
#define ARPHRD_ETHER	1

static __always_inline bool mac_equal(const __u8 *a, const __u8 *b)
{
	return *(const __u32 *)a == *(const __u32 *)b && *(const __u16 *)(a + 4) == *(const __u16 *)(b + 4);
}

static __always_inline bool ipv6_link_local(const __u8 *addr)
{
	return addr[0] == 0xfe && (addr[1] & 0xc0) == 0x80;
}

static __always_inline bool ipv6_unspecified(const __u8 *addr)
{
	const __u64 *words = (const __u64 *)addr;

	return words[0] == 0 && words[1] == 0;
}

/* ff02::/16: link-scope multicast (all-nodes, all-routers, solicited-node, MLDv2 reports). */
static __always_inline bool ipv6_link_multicast(const __u8 *addr)
{
	return addr[0] == 0xff && (addr[1] & 0x0f) == 0x02;
}

static __always_inline bool icmp6_neighbour_discovery_type(__u8 type)
{
	return type >= 133 && type <= 137;
}

static __always_inline bool icmp6_mld_type(__u8 type)
{
	return (type >= 130 && type <= 132) || type == 143;
}

/*
 * Neighbour discovery (RFC 4861) and MLD (RFC 2710, 3810) between a pod and its gateway,
 * which pass without policy as upstream lets them: only as the RFCs have them on one link.
 * ND keeps hop limit 255 (RFC 4861 section 7.1: a receiver drops anything else, so the
 * message was not routed) and has a link-local or unspecified source or a link-local or
 * link-scope multicast destination (the router's fe80::1, solicited-node groups); MLD has
 * hop limit 1 and a link-local or unspecified source. A message of these types between
 * two routable addresses, or one that crossed a router, is no neighbour discovery: it goes
 * through policy like any other ICMPv6.
 */
static __always_inline bool icmp6_on_link(const struct flow *f)
{
	if (f->family != FAMILY_IPV6 || f->protocol != IPPROTO_ICMPV6 || f->fragment)
		return false;
	if (icmp6_neighbour_discovery_type(f->icmp_type))
		return f->hop_limit == 255 &&
		       (ipv6_link_local(f->saddr) || ipv6_unspecified(f->saddr) || ipv6_link_local(f->daddr) ||
			ipv6_link_multicast(f->daddr));
	if (icmp6_mld_type(f->icmp_type))
		return f->hop_limit == 1 && (ipv6_link_local(f->saddr) || ipv6_unspecified(f->saddr));
	return false;
}

/* The frame's source MAC (bytes 6-11), 0 on success. */
static __always_inline int load_source_mac(struct __sk_buff *skb, __u8 *mac)
{
	return bpf_skb_load_bytes(skb, ETH_ALEN, mac, ETH_ALEN) < 0 ? DROP_INVALID : 0;
}

/* An address of this endpoint, sent from this endpoint's MAC: 0, else the drop reason. */
static __always_inline int endpoint_source_check(__u8 family, const __u8 *addr, const __u8 *mac,
						 __u32 endpoint_id)
{
	struct endpoint_info *ep = endpoint_lookup(family, addr);

	if (!ep || ep->endpoint_id != endpoint_id)
		return DROP_INVALID_SIP;
	return mac_equal(ep->mac, mac) ? 0 : DROP_INVALID_SMAC;
}

/* Source check of an IPv4/IPv6 packet a pod sends: 0 to go on, else the drop reason. */
static __always_inline int lxc_source_check(struct __sk_buff *skb, const struct flow *f, __u32 endpoint_id)
{
	__u8 mac[ETH_ALEN];

	/* Link-local sources never leave the link; only ND/MLD may use them. */
	if (f->family == FAMILY_IPV6 && (ipv6_link_local(f->saddr) || ipv6_unspecified(f->saddr)))
		return icmp6_on_link(f) ? 0 : DROP_INVALID_SIP;
	if (load_source_mac(skb, mac) < 0)
		return DROP_INVALID;
	return endpoint_source_check(f->family, f->saddr, mac, endpoint_id);
}

/* Source check of a non-IP frame a pod sends: ARP as above, anything else dropped. */
static __always_inline int lxc_l2_source_check(struct __sk_buff *skb, __u32 endpoint_id)
{
	__u8 mac[ETH_ALEN], arp[ARP_HLEN], spa[16] = {};

	if (skb->protocol != bpf_htons(ETH_P_ARP))
		return DROP_UNKNOWN_L3;
	if (load_source_mac(skb, mac) < 0 || bpf_skb_load_bytes(skb, ETH_HLEN, arp, ARP_HLEN) < 0)
		return DROP_INVALID;
	/* Ethernet, IPv4, 6-byte MACs, 4-byte addresses (RFC 826) */
	if (arp[0] != 0 || arp[1] != ARPHRD_ETHER || arp[2] != 0x08 || arp[3] != 0x00 || arp[4] != ETH_ALEN ||
	    arp[5] != 4)
		return DROP_INVALID;
	if (!mac_equal(&arp[8], mac))
		return DROP_INVALID_SMAC;
	__builtin_memcpy(spa, &arp[14], 4);
	return endpoint_source_check(FAMILY_IPV4, spa, mac, endpoint_id);
}
