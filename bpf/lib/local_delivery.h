/*
 * Pod-to-pod delivery on one node without the node's routing stack, as upstream does with
 * BPF host routing: the sender's from-container program tail-calls the destination
 * endpoint's entry of policy_calls (the node's one lxc_policy program, told the
 * destination's endpoint id in skb->cb), which applies the destination's
 * ingress policy and moves the packet straight to the destination pod's eth0 with
 * bpf_redirect_peer. That skips IP forwarding in the node namespace, the host-side veth's
 * egress and a second trip through the CPU backlog queue: one program run and one queue
 * trip per direction instead of two each.
 *
 * What the sender knows travels in skb->cb (kept across tail calls): a marker, its
 * identity (the receiver needs no ipcache lookup), the destination's endpoint id and
 * the MACs to write.
 */
#pragma once

#include "maps.h"
#include "parse.h"
#include "endpoints.h"

#define CB_DELIVERY_MARK	0
#define CB_SRC_IDENTITY		1
#define CB_MACS			2	/* words 2-4: destination pod MAC, then host-side veth MAC */

/*
 * Word 0 carries the marker in its high half and the destination's endpoint id in its low
 * half: every endpoint shares one lxc_policy program, which learns from it whose policy to
 * apply (endpoint ids are 16 bits).
 */
#define LOCAL_DELIVERY_MARK	0x6a630000	/* "jc" */
#define LOCAL_DELIVERY_MARK_MASK 0xffff0000

/* The destination endpoint id of a tail-called packet, 0 when it was not handed over. */
static __always_inline __u32 local_delivery_target(const struct __sk_buff *skb)
{
	__u32 word = skb->cb[CB_DELIVERY_MARK];

	if ((word & LOCAL_DELIVERY_MARK_MASK) != LOCAL_DELIVERY_MARK)
		return 0;
	return word & ~LOCAL_DELIVERY_MARK_MASK;
}

static __always_inline bool local_delivery_allowed(const struct flow *f)
{
	/* Neighbour discovery must keep hop limit 255 (RFC 4861 section 7.1): leave it to the stack. */
	return !(f->protocol == IPPROTO_ICMPV6 && f->icmp_type >= 133 && f->icmp_type <= 137);
}

/*
 * Hands an allowed packet to a local destination's policy program. Returns only when
 * there is none (not a local endpoint, or its program is not registered yet): the stack
 * then routes the packet as before and the destination's to-container hook sees it.
 */
static __always_inline void local_delivery(struct __sk_buff *skb, const struct flow *f, __u32 src_identity)
{
	struct endpoint_info *ep;
	__u32 macs[3];

	if (!local_delivery_allowed(f))
		return;
	ep = endpoint_lookup(f->family, f->daddr);
	if (!ep || !ep->endpoint_id)
		return;
	__builtin_memcpy(macs, ep->mac, 6);
	__builtin_memcpy((__u8 *)macs + 6, ep->node_mac, 6);
	skb->cb[CB_DELIVERY_MARK] = LOCAL_DELIVERY_MARK | ep->endpoint_id;
	skb->cb[CB_SRC_IDENTITY] = src_identity;
	skb->cb[CB_MACS] = macs[0];
	skb->cb[CB_MACS + 1] = macs[1];
	skb->cb[CB_MACS + 2] = macs[2];
	bpf_tail_call(skb, &policy_calls, ep->endpoint_id);
	skb->cb[CB_DELIVERY_MARK] = 0;
}

/* Decrements the TTL / hop limit as the routing stack would; false when it would expire. */
static __always_inline bool route_hop(struct __sk_buff *skb, const struct flow *f)
{
	__u8 hops[2];

	if (f->family == FAMILY_IPV4) {
		__u16 before, after;

		/* TTL and protocol share one 16-bit word of the header checksum. */
		if (bpf_skb_load_bytes(skb, f->l3_off + 8, hops, 2) < 0 || hops[0] <= 1)
			return false;
		__builtin_memcpy(&before, hops, 2);
		hops[0]--;
		__builtin_memcpy(&after, hops, 2);
		if (bpf_l3_csum_replace(skb, f->l3_off + 10, before, after, 2) < 0)
			return false;
		return bpf_skb_store_bytes(skb, f->l3_off + 8, hops, 1, 0) == 0;
	}
	if (bpf_skb_load_bytes(skb, f->l3_off + 7, hops, 1) < 0 || hops[0] <= 1)
		return false;
	hops[0]--;
	return bpf_skb_store_bytes(skb, f->l3_off + 7, hops, 1, 0) == 0;
}

/*
 * Delivers an allowed packet to this endpoint's pod: MACs as the pod expects them from
 * its gateway, one hop less, then straight into the pod's eth0 (ingress to ingress, same
 * softirq). TC_ACT_OK (let the stack route it) when it cannot.
 */
static __always_inline int redirect_to_pod(struct __sk_buff *skb, const struct flow *f, __u32 ifindex)
{
	__u32 macs[3] = { skb->cb[CB_MACS], skb->cb[CB_MACS + 1], skb->cb[CB_MACS + 2] };

	if (!ifindex || !route_hop(skb, f))
		return TC_ACT_OK;
	if (bpf_skb_store_bytes(skb, 0, macs, 12, 0) < 0)
		return TC_ACT_SHOT;
	return bpf_redirect_peer(ifindex, 0);
}
