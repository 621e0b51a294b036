/*
 * L2 announcements responder, in XDP on the devices an L2 announcement policy selects, as
 * upstream's (bpf_xdp.c with ENABLE_L2_ANNOUNCEMENTS): an ARP request or an IPv6
 * neighbour solicitation for an address in l2_responder_v4/v6 under this device is
 * turned into the reply in place and sent back out of the same device (XDP_TX).
 * Everything else passes untouched, before any tc program of the device (the node-port
 * load balancer's from_netdev accepts what it does not translate, so a responder behind
 * it on tc would never see ARP).
 */
#include "common.h"
#include "l2_responder.h"

#define ARPHRD_ETHER	1
#define ARPOP_REQUEST	1
#define ARPOP_REPLY	2
#define ND_NEIGHBOR_SOLICIT	135
#define ND_NEIGHBOR_ADVERT	136
#define ND_OPT_SOURCE_LL	1
#define ND_OPT_TARGET_LL	2
/* RFC 4861 4.4: Solicited and Override set (a service address is no router's). */
#define NA_FLAGS_SOLICITED_OVERRIDE	bpf_htonl(0x60000000)

struct arp_eth {
	__be16 htype;
	__be16 ptype;
	__u8 hlen;
	__u8 plen;
	__be16 op;
	__u8 sha[6];
	__be32 spa;
	__u8 tha[6];
	__be32 tpa;
} __attribute__((packed));

struct arp_frame {
	struct ethhdr eth;
	struct arp_eth arp;
} __attribute__((packed));

/* A neighbour solicitation or advertisement with one link-layer address option. */
struct nd_frame {
	struct ethhdr eth;
	struct ipv6hdr ip6;
	__u8 type;
	__u8 code;
	__sum16 check;
	__be32 flags;
	__u8 target[16];
	__u8 opt_type;
	__u8 opt_len;
	__u8 opt_addr[6];
} __attribute__((packed));

/* Anchors for the layout test: BTF keeps only types a global refers to. */
struct l2_responder_v4_key *const l2_v4_key_btf_anchor __attribute__((used)) = 0;
struct l2_responder_v6_key *const l2_v6_key_btf_anchor __attribute__((used)) = 0;
struct l2_responder_entry *const l2_entry_btf_anchor __attribute__((used)) = 0;

static __always_inline int answer_arp(struct xdp_md *ctx)
{
	struct l2_responder_v4_key key = {};
	struct l2_responder_entry *entry;
	struct arp_frame f;

	if (bpf_xdp_load_bytes(ctx, 0, &f, sizeof(f)) < 0)
		return XDP_PASS;
	if (f.arp.htype != bpf_htons(ARPHRD_ETHER) || f.arp.ptype != bpf_htons(ETH_P_IP) || f.arp.hlen != 6 ||
	    f.arp.plen != 4 || f.arp.op != bpf_htons(ARPOP_REQUEST))
		return XDP_PASS;
	/* A gratuitous ARP (sender = target) announces, it asks nothing. */
	if (f.arp.spa == f.arp.tpa)
		return XDP_PASS;
	key.ip4 = f.arp.tpa;
	key.ifindex = ctx->ingress_ifindex;
	entry = bpf_map_lookup_elem(&l2_responder_v4, &key);
	if (!entry)
		return XDP_PASS;

	__builtin_memcpy(f.eth.h_dest, f.arp.sha, 6);
	__builtin_memcpy(f.eth.h_source, entry->mac, 6);
	f.arp.op = bpf_htons(ARPOP_REPLY);
	__builtin_memcpy(f.arp.tha, f.arp.sha, 6);
	f.arp.tpa = f.arp.spa;
	__builtin_memcpy(f.arp.sha, entry->mac, 6);
	f.arp.spa = key.ip4;
	if (bpf_xdp_store_bytes(ctx, 0, &f, sizeof(f)) < 0)
		return XDP_ABORTED;
	__sync_fetch_and_add(&entry->responses_sent, 1);
	return XDP_TX;
}

static __always_inline __sum16 csum_fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__sum16)~sum;
}

/* RFC 4443 2.3: the ICMPv6 checksum covers the pseudo header of RFC 8200 8.1. */
static __always_inline int nd_checksum(struct nd_frame *f)
{
	struct {
		struct in6_addr saddr;
		struct in6_addr daddr;
		__be32 len;
		__be32 next;
	} pseudo;
	__s64 sum;

	pseudo.saddr = f->ip6.saddr;
	pseudo.daddr = f->ip6.daddr;
	pseudo.len = bpf_htonl(32);
	pseudo.next = bpf_htonl(IPPROTO_ICMPV6);
	f->check = 0;
	sum = bpf_csum_diff(0, 0, (__be32 *)&pseudo, sizeof(pseudo), 0);
	if (sum < 0)
		return -1;
	sum = bpf_csum_diff(0, 0, (__be32 *)&f->type, 32, (__u32)sum);
	if (sum < 0)
		return -1;
	f->check = csum_fold((__u32)sum);
	return 0;
}

static __always_inline int answer_ndp(struct xdp_md *ctx)
{
	struct l2_responder_v6_key key = {};
	struct l2_responder_entry *entry;
	struct nd_frame f;

	if (bpf_xdp_load_bytes(ctx, 0, &f, sizeof(f)) < 0)
		return XDP_PASS;
	/*
	 * RFC 4861 7.1.1: hop limit 255, code 0. Only a solicitation carrying exactly the
	 * source link-layer option is answered: it says where to send the advertisement,
	 * and a DAD probe (unspecified source) carries none.
	 */
	if (f.ip6.nexthdr != IPPROTO_ICMPV6 || f.ip6.hop_limit != 255 || f.ip6.payload_len != bpf_htons(32) ||
	    f.type != ND_NEIGHBOR_SOLICIT || f.code != 0 || f.opt_type != ND_OPT_SOURCE_LL || f.opt_len != 1)
		return XDP_PASS;
	__builtin_memcpy(key.ip6, f.target, 16);
	key.ifindex = ctx->ingress_ifindex;
	entry = bpf_map_lookup_elem(&l2_responder_v6, &key);
	if (!entry)
		return XDP_PASS;

	__builtin_memcpy(f.eth.h_dest, f.opt_addr, 6);
	__builtin_memcpy(f.eth.h_source, entry->mac, 6);
	f.ip6.daddr = f.ip6.saddr;
	__builtin_memcpy(&f.ip6.saddr, key.ip6, 16);
	f.type = ND_NEIGHBOR_ADVERT;
	f.flags = NA_FLAGS_SOLICITED_OVERRIDE;
	f.opt_type = ND_OPT_TARGET_LL;
	__builtin_memcpy(f.opt_addr, entry->mac, 6);
	if (nd_checksum(&f) < 0)
		return XDP_ABORTED;
	if (bpf_xdp_store_bytes(ctx, 0, &f, sizeof(f)) < 0)
		return XDP_ABORTED;
	__sync_fetch_and_add(&entry->responses_sent, 1);
	return XDP_TX;
}

SEC("xdp")
int l2_responder(struct xdp_md *ctx)
{
	__be16 proto;

	if (bpf_xdp_load_bytes(ctx, offsetof(struct ethhdr, h_proto), &proto, sizeof(proto)) < 0)
		return XDP_PASS;
	if (proto == bpf_htons(ETH_P_ARP))
		return answer_arp(ctx);
	if (proto == bpf_htons(ETH_P_IPV6))
		return answer_ndp(ctx);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
