/* Events into the ring buffer: one common header, then the first bytes of the packet. */
#pragma once

#include "maps.h"
#include "parse.h"
#include "endpoints.h"

struct event_ctx {
	__u32 src_identity;
	__u32 dst_identity;
	__u16 endpoint_id;
	__u16 dst_endpoint_id;
	__u32 ifindex;		/* reported device; 0: the one the program runs on */
	__u8 obs_point;
	__u8 flags;
	__u8 match_type;
};

#define EVENT_WORD(type, subtype, reason, flags) \
	((__u32)(type) | ((__u32)(subtype) << 8) | ((__u32)(reason) << 16) | ((__u32)(flags) << 24))

/*
 * Out of line on purpose: events are the cold path, and keeping them out of the packet
 * path's instruction stream is what keeps a first packet after idle cheap (fewer icache
 * misses). BPF-to-BPF calls take at most 5 arguments, hence the packed word.
 */
static __attribute__((noinline)) void event_emit(struct __sk_buff *skb, const struct flow *f,
						 const struct event_ctx *c, __u32 word)
{
	__u8 type = word & 0xff, subtype = (word >> 8) & 0xff, reason = (word >> 16) & 0xff;
	__u8 extra_flags = word >> 24;
	struct event_hdr *e;
	__u32 cap;

	if (!skb || !f || !c)
		return;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		/* Ring full: the reader is behind; the packet's fate does not depend on it, but
		 * the loss is counted for the reader to report. */
		__u32 zero = 0;
		__u64 *lost = bpf_map_lookup_elem(&events_lost, &zero);

		if (lost)
			*lost += 1;
		return;
	}
	e->type = type;
	e->subtype = subtype;
	e->source = c->endpoint_id;
	e->hash = bpf_get_hash_recalc(skb);
	e->len_orig = skb->len;
	e->version = EVENT_VERSION;
	e->src_identity = c->src_identity;
	e->dst_identity = c->dst_identity;
	e->dst_endpoint_id = c->dst_endpoint_id;
	/* Resolved here, not per packet: only events name the local destination endpoint. */
	if (!e->dst_endpoint_id) {
		struct endpoint_info *ep = endpoint_lookup(f->family, f->daddr);

		if (ep)
			e->dst_endpoint_id = ep->endpoint_id;
	}
	e->obs_point = c->obs_point;
	e->flags = c->flags | extra_flags;
	e->ifindex = c->ifindex ? c->ifindex : skb->ifindex;
	e->reason = reason;
	e->match_type = c->match_type;
	e->protocol = f->protocol;
	e->pad = 0;
	e->dport = f->policy_port;
	e->pad2 = 0;
	e->ktime_ns = bpf_ktime_get_ns();
	cap = skb->len;
	if (cap > EVENT_PAYLOAD_LEN)
		cap = EVENT_PAYLOAD_LEN;
	e->len_cap = 0;
	if (cap > 0 && bpf_skb_load_bytes(skb, 0, e->data, cap) == 0)
		e->len_cap = cap;
	bpf_ringbuf_submit(e, 0);
}
