/*
 * Programs for a pod's host-side veth (one object loaded per endpoint, its identity and
 * id set in ENDPOINT before load):
 *   from_container  tc ingress: packets the pod sends; egress policy by destination identity
 *   to_container    tc egress:  packets delivered to the pod; ingress policy by source identity
 * Replies and related packets of tracked connections skip policy; everything else is
 * checked against the endpoint's policy map on every packet, so a policy change applies at once.
 */
#include "common.h"
#include "maps.h"
#include "parse.h"
#include "metrics.h"
#include "ipcache.h"
#include "endpoints.h"
#include "policy.h"
#include "conntrack.h"
#include "events.h"

/* Filled in by the loader before load; the verifier sees these as constants. */
volatile const struct lxc_config ENDPOINT = {};

/*
 * Bumped by the agent after every change to this endpoint's policy map. A tracked
 * connection remembers the revision its forward direction was allowed at; while that is
 * current, later packets skip the policy lookups (the costliest part of the path on a cold
 * cache). Any policy change makes every connection re-check on its next packet, so a
 * change still applies at once. The loader starts it at a random non-zero value so
 * entries left by an earlier agent never match by accident.
 */
volatile __u32 POLICY_REVISION = 1;

/* Keeps the event header in BTF (it is only used through a pointer otherwise). */
struct event_hdr *const event_hdr_btf_anchor __attribute__((used)) = 0;

static __always_inline bool icmp6_neighbour_discovery(const struct flow *f)
{
	/* Router/neighbour solicitation/advertisement (RFC 4861) and MLD keep IPv6 working without policy. */
	return f->protocol == IPPROTO_ICMPV6 &&
	       ((f->icmp_type >= 133 && f->icmp_type <= 137) || (f->icmp_type >= 130 && f->icmp_type <= 132) ||
		f->icmp_type == 143);
}

static __always_inline int drop(struct __sk_buff *skb, const struct flow *f, const struct event_ctx *c,
				int reason, __u8 metric_dir, __u8 ct_status)
{
	metrics_update((__u8)-reason, metric_dir, skb->len);
	event_emit(skb, f, c, EVENT_WORD(EVENT_DROP, -reason, -reason, 0));
	return TC_ACT_SHOT;
}

static __always_inline int handle(struct __sk_buff *skb, const bool egress)
{
	struct flow f = {};
	struct event_ctx c = {
		.endpoint_id = ENDPOINT.endpoint_id,
		.obs_point = egress ? TRACE_FROM_LXC : TRACE_TO_LXC,
		.flags = egress ? EVENT_F_EGRESS : 0,
	};
	const __u8 metric_dir = egress ? METRIC_EGRESS : METRIC_INGRESS;
	const __u8 ct_dir = egress ? CT_EGRESS : CT_INGRESS;
	enum ct_status status;
	__u32 peer_identity, reply_identity = 0, revision;
	struct ct_entry *established = 0;
	int ret;

	ret = parse_packet(skb, &f);
	if (ret == 0) {
		metrics_update(REASON_FORWARDED, metric_dir, skb->len);
		return TC_ACT_OK;
	}
	if (f.family == FAMILY_IPV6)
		c.flags |= EVENT_F_IPV6;
	if (ret > 0 && ENDPOINT.endpoint_id == 0)
		ret = DROP_NO_CONFIG;
	if (ret < 0)
		return drop(skb, &f, &c, ret, metric_dir, CT_NEW);

	if (egress) {
		c.src_identity = ENDPOINT.identity;
		c.dst_identity = ipcache_identity(f.family, f.daddr);
		peer_identity = c.dst_identity;
	} else {
		c.src_identity = ipcache_identity(f.family, f.saddr);
		c.dst_identity = ENDPOINT.identity;
		c.dst_endpoint_id = ENDPOINT.endpoint_id;
		peer_identity = c.src_identity;
	}

	if (icmp6_neighbour_discovery(&f)) {
		metrics_update(REASON_FORWARDED, metric_dir, skb->len);
		return TC_ACT_OK;
	}

	status = ct_lookup(skb, &f, ct_dir, &reply_identity, &established);
	if (status == CT_REPLY || status == CT_RELATED) {
		metrics_update(REASON_FORWARDED, metric_dir, skb->len);
		if (ENDPOINT.flags & LXC_F_TRACE_ALL)
			event_emit(skb, &f, &c, EVENT_WORD(EVENT_TRACE, c.obs_point, status, EVENT_F_ALLOWED));
		return TC_ACT_OK;
	}

	revision = POLICY_REVISION;
	if (established && established->policy_rev == revision) {
		metrics_update(REASON_FORWARDED, metric_dir, skb->len);
		if (ENDPOINT.flags & LXC_F_TRACE_ALL)
			event_emit(skb, &f, &c, EVENT_WORD(EVENT_TRACE, c.obs_point, status, EVENT_F_ALLOWED));
		return TC_ACT_OK;
	}

	ret = policy_check(peer_identity, egress ? 1 : 0, &f, &c.match_type);
	if (status == CT_NEW)
		event_emit(skb, &f, &c,
			   EVENT_WORD(EVENT_POLICY_VERDICT, ret < 0 ? (__u8)-ret : 0, status, ret < 0 ? 0 : EVENT_F_ALLOWED));
	if (ret < 0)
		return drop(skb, &f, &c, ret, metric_dir, status);

	if (status == CT_NEW)
		ct_create(&f, ct_dir, c.src_identity, revision);
	else if (established)
		established->policy_rev = revision;
	metrics_update(REASON_FORWARDED, metric_dir, skb->len);
	if (status == CT_NEW || (ENDPOINT.flags & LXC_F_TRACE_ALL))
		event_emit(skb, &f, &c, EVENT_WORD(EVENT_TRACE, c.obs_point, status, EVENT_F_ALLOWED));
	return TC_ACT_OK;
}

SEC("tc")
int from_container(struct __sk_buff *skb)
{
	return handle(skb, true);
}

SEC("tc")
int to_container(struct __sk_buff *skb)
{
	return handle(skb, false);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
