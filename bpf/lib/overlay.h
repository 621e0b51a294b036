/*
 * The VXLAN overlay's rules (bpf_overlay.c): which identity a packet may carry into the
 * tunnel, and which tunnelled packets a node accepts.
 */
#pragma once

#include "maps.h"
#include "parse.h"
#include "endpoints.h"

#define DROP_NO_TUNNEL_KEY	-147	/* a packet on the overlay device without tunnel metadata */
#define DROP_UNROUTABLE		-151	/* tunnelled to this node, but for no local endpoint */
#define DROP_NO_TUNNEL_ENDPOINT	-160	/* routed into the overlay, but no node hosts the destination */
#define DROP_INVALID_IDENTITY	-171	/* a VNI that is no identity a node may send */
#define DROP_UNKNOWN_SENDER	-172	/* a tunnel peer that is no known node */

#define TRACE_TO_OVERLAY	4
#define TRACE_FROM_OVERLAY	9

#define IDENTITY_REMOTE_NODE	6

/* Identities are carried in the 24-bit VNI; larger ones (node-local CIDR identities) never leave a node. */
#define OVERLAY_VNI_MAX		0xffffff

#define OVERLAY_TTL		64

/* Whole ipcache entry (identity and tunnel endpoint) of an address: longest-prefix match. */
static __always_inline struct remote_endpoint_info *ipcache_lookup(__u8 family, const __u8 *addr)
{
	struct ipcache_key key = {
		.prefixlen = 32 + (family == FAMILY_IPV4 ? 32 : 128),
		.family = family,
	};

	__builtin_memcpy(key.addr, addr, 16);
	return bpf_map_lookup_elem(&ipcache, &key);
}

/*
 * Addresses, protocol and (ICMPv6) type of the inner packet: 1 for IPv4/IPv6, 0 for
 * anything else, below 0 when the header is cut short. Ports are not needed: the
 * receiving endpoint's program parses the packet in full.
 */
static __always_inline int overlay_parse(struct __sk_buff *skb, struct flow *f)
{
	__u8 hdr[40];

	f->l3_off = ETH_HLEN;
	if (skb->protocol == bpf_htons(ETH_P_IP)) {
		if (bpf_skb_load_bytes(skb, ETH_HLEN, hdr, 20) < 0)
			return DROP_INVALID;
		f->family = FAMILY_IPV4;
		f->protocol = hdr[9];
		__builtin_memcpy(f->saddr, &hdr[12], 4);
		__builtin_memcpy(f->daddr, &hdr[16], 4);
		return 1;
	}
	if (skb->protocol == bpf_htons(ETH_P_IPV6)) {
		if (bpf_skb_load_bytes(skb, ETH_HLEN, hdr, 40) < 0)
			return DROP_INVALID;
		f->family = FAMILY_IPV6;
		f->protocol = hdr[6];
		__builtin_memcpy(f->saddr, &hdr[8], 16);
		__builtin_memcpy(f->daddr, &hdr[24], 16);
		if (f->protocol == IPPROTO_ICMPV6 && bpf_skb_load_bytes(skb, ETH_HLEN + 40, &f->icmp_type, 1) < 0)
			return DROP_INVALID;
		return 1;
	}
	return 0;
}

/*
 * The identity a packet carries into the tunnel. A local endpoint's address counts only on
 * a packet that came in through that endpoint's own interface (its program checked the
 * source there); the same address arriving any other way is a forgery. What the node
 * itself sends (no ingress interface) is remote-node to the receiver; anything else the
 * node forwards (from its underlay) is world.
 */
static __always_inline int overlay_source_identity(struct __sk_buff *skb, const struct flow *f, __u32 *identity)
{
	struct endpoint_info *ep = endpoint_lookup(f->family, f->saddr);
	struct lxc_config *cfg;
	__u32 id;

	*identity = IDENTITY_WORLD;
	if (ep) {
		if (!ep->endpoint_id || skb->ingress_ifindex != ep->ifindex)
			return DROP_INVALID_SIP;
		id = ep->endpoint_id;
		cfg = bpf_map_lookup_elem(&endpoint_config, &id);
		if (!cfg || cfg->endpoint_id != id)
			return DROP_NO_CONFIG;
		*identity = cfg->identity;
		if (!cfg->identity || cfg->identity > OVERLAY_VNI_MAX)
			return DROP_INVALID_IDENTITY;
		return 0;
	}
	if (!skb->ingress_ifindex)
		*identity = IDENTITY_REMOTE_NODE;
	return 0;
}

/* Whether an outer source address (host byte order, as the tunnel key has it) is a node's. */
static __always_inline bool overlay_known_node(__u32 remote_ipv4)
{
	__u8 addr[16] = {};
	__be32 be = bpf_htonl(remote_ipv4);
	struct remote_endpoint_info *info;

	__builtin_memcpy(addr, &be, 4);
	info = ipcache_lookup(FAMILY_IPV4, addr);
	return info && info->identity == IDENTITY_REMOTE_NODE;
}

/* Unknown (0) and host (1) never arrive from another node; neither does anything past 24 bits. */
static __always_inline bool overlay_identity_valid(__u64 tunnel_id)
{
	return tunnel_id > IDENTITY_HOST && tunnel_id <= OVERLAY_VNI_MAX;
}
