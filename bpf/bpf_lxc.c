/*
 * Programs for every pod's host-side veth: one object loaded per node, attached to each
 * endpoint's veth; each run finds its endpoint (by the veth's ifindex, or from the sender
 * for lxc_policy) and reads the endpoint's settings, policy trie and policy revision from
 * maps (endpoint_config.h), so a new endpoint is map writes and an attach, not a load:
 *   from_container  tc ingress: packets the pod sends; egress policy by destination identity;
 *                   a packet for another pod on this node goes on to that pod's lxc_policy
 *   to_container    tc egress:  packets the stack delivers to the pod; ingress policy by
 *                   source identity
 *   lxc_policy      tail call target (policy_calls map, by endpoint id; the destination's id
 *                   in skb->cb): ingress policy for
 *                   a packet from a local pod, then straight into this pod (local_delivery.h)
 * What a pod sends must carry its own MAC and address (lxc_source.h), so identity for a
 * local source is always the endpoint's. Replies and related packets of connections this
 * endpoint's program tracked skip policy; a tracked connection
 * skips it while its cached verdict is current (the endpoint's policy_revision entry), so
 * a policy change still applies on the next packet.
 */
#include "common.h"
#include "maps.h"
#include "parse.h"
#include "metrics.h"
#include "ipcache.h"
#include "endpoints.h"
#include "endpoint_config.h"
#include "policy.h"
#include "conntrack.h"
#include "lxc_source.h"
#include "events.h"
#include "local_delivery.h"

/* Keeps the event header in BTF (it is only used through a pointer otherwise). */
struct event_hdr *const event_hdr_btf_anchor __attribute__((used)) = 0;

static __always_inline int drop(struct __sk_buff *skb, const struct flow *f, const struct event_ctx *c,
				int reason, __u8 metric_dir)
{
	metrics_update((__u8)-reason, metric_dir, skb->len);
	event_emit(skb, f, c, EVENT_WORD(EVENT_DROP, -reason, -reason, 0));
	return TC_ACT_SHOT;
}

/*
 * The peer's identity costs an ipcache (LPM) lookup, so it is resolved only where it is
 * used: policy checks, events, drops. src_identity is the sender's identity when the
 * sender's program passed it along (local delivery), else 0.
 */
static __always_inline void resolve_identities(struct event_ctx *c, const struct flow *f,
					       const struct lxc_config *cfg, bool egress, __u32 src_identity)
{
	if (c->src_identity || c->dst_identity)
		return;
	if (egress) {
		c->src_identity = cfg->identity;
		c->dst_identity = f->family ? ipcache_identity(f->family, f->daddr) : IDENTITY_UNKNOWN;
	} else {
		c->src_identity = src_identity ? src_identity :
			(f->family ? ipcache_identity(f->family, f->saddr) : IDENTITY_UNKNOWN);
		c->dst_identity = cfg->identity;
	}
}

static __always_inline int forwarded(struct __sk_buff *skb, const struct flow *f, struct event_ctx *c,
				     const struct lxc_config *cfg, bool egress, __u32 src_identity, __u8 metric_dir,
				     enum ct_status status, bool trace)
{
	metrics_update(REASON_FORWARDED, metric_dir, skb->len);
	if (trace || (cfg->flags & LXC_F_TRACE_ALL)) {
		resolve_identities(c, f, cfg, egress, src_identity);
		event_emit(skb, f, c, EVENT_WORD(EVENT_TRACE, c->obs_point, status, EVENT_F_ALLOWED));
	}
	return TC_ACT_OK;
}

/*
 * Whether a packet of a tracked TCP connection is worth a trace event without trace-all:
 * it carries a CT_REPORT_FLAGS flag its direction has not carried before (the SYN-ACK, a
 * FIN, a RST), which bounds the events to a handful per connection. The cost per packet is
 * a compare on the entry conntrack just touched; two CPUs racing on the first FIN may both
 * trace it, which is harmless.
 */
static __always_inline bool ct_flags_news(struct ct_entry *e, const struct flow *f, bool reply)
{
	__u8 seen, news;

	if (!e || f->protocol != IPPROTO_TCP)
		return false;
	seen = reply ? e->rx_flags_seen : e->tx_flags_seen;
	news = f->tcp_flags & CT_REPORT_FLAGS & ~seen;
	if (!news)
		return false;
	if (reply)
		e->rx_flags_seen = seen | news;
	else
		e->tx_flags_seen = seen | news;
	return true;
}

/*
 * Conntrack and policy for one packet: TC_ACT_OK to let it pass, TC_ACT_SHOT after a drop.
 * id is the endpoint the packet is for or from (0: none known), cfg its entry of
 * endpoint_config (all zero when it has none).
 */
static __always_inline int handle(struct __sk_buff *skb, struct flow *f, __u32 id, const struct lxc_config *cfg,
				  const bool egress, __u32 src_identity)
{
	struct event_ctx c = {
		.endpoint_id = id,
		.dst_endpoint_id = egress ? 0 : id,
		.ifindex = egress ? 0 : cfg->ifindex,
		.obs_point = egress ? TRACE_FROM_LXC : TRACE_TO_LXC,
		.flags = egress ? EVENT_F_EGRESS : 0,
	};
	const __u8 metric_dir = egress ? METRIC_EGRESS : METRIC_INGRESS;
	const __u8 ct_dir = egress ? CT_EGRESS : CT_INGRESS;
	enum ct_status status;
	__u32 reply_identity = 0, revision;
	struct ct_entry *entry = 0;
	void *policy_map;
	struct policy_key hit = {};
	int ret;

	ret = parse_packet(skb, f);
	if (ret == 0) {
		/*
		 * Not IP: only the pod's own ARP leaves it; what the node sends it passes. Nothing
		 * passes either way while the endpoint has no configuration.
		 */
		if (!cfg->endpoint_id)
			ret = DROP_NO_CONFIG;
		else if (egress)
			ret = lxc_l2_source_check(skb, cfg->endpoint_id);
		if (ret < 0)
			return drop(skb, f, &c, ret, metric_dir);
		metrics_update(REASON_FORWARDED, metric_dir, skb->len);
		return TC_ACT_OK;
	}
	if (f->family == FAMILY_IPV6)
		c.flags |= EVENT_F_IPV6;
	/* No settings or no policy trie: nothing to decide with, so nothing passes. */
	policy_map = endpoint_policy_map(cfg->endpoint_id);
	if (ret > 0 && (cfg->endpoint_id == 0 || !policy_map))
		ret = DROP_NO_CONFIG;
	if (ret > 0 && egress)
		ret = lxc_source_check(skb, f, cfg->endpoint_id);
	if (ret < 0) {
		resolve_identities(&c, f, cfg, egress, src_identity);
		return drop(skb, f, &c, ret, metric_dir);
	}
	/* Neighbour discovery and MLD on the link keep IPv6 working without policy. */
	if (icmp6_on_link(f))
		return forwarded(skb, f, &c, cfg, egress, src_identity, metric_dir, CT_NEW, false);

	status = ct_lookup(skb, f, (__u16)cfg->endpoint_id, ct_dir, &reply_identity, &entry);
	if (status == CT_REPLY || status == CT_RELATED) {
		if (entry)
			policy_charge(policy_map, entry, f->len);
		return forwarded(skb, f, &c, cfg, egress, src_identity, metric_dir, status,
				 ct_flags_news(entry, f, true));
	}

	revision = endpoint_policy_revision(cfg->endpoint_id);
	if (entry && revision && entry->policy_rev == revision) {
		policy_charge(policy_map, entry, f->len);
		return forwarded(skb, f, &c, cfg, egress, src_identity, metric_dir, status,
				 ct_flags_news(entry, f, false));
	}

	resolve_identities(&c, f, cfg, egress, src_identity);
	if (!policy_map)
		return drop(skb, f, &c, DROP_NO_CONFIG, metric_dir);
	ret = policy_check(policy_map, egress ? c.dst_identity : c.src_identity, egress ? 1 : 0, f, &c.match_type, &hit);
	if (status == CT_NEW)
		event_emit(skb, f, &c,
			   EVENT_WORD(EVENT_POLICY_VERDICT, ret < 0 ? (__u8)-ret : 0, status, ret < 0 ? 0 : EVENT_F_ALLOWED));
	if (ret < 0)
		return drop(skb, f, &c, ret, metric_dir);

	if (status == CT_NEW) {
		ret = ct_create(f, (__u16)cfg->endpoint_id, ct_dir, c.src_identity, revision, &hit);
		if (ret < 0)
			return drop(skb, f, &c, ret, metric_dir);
	} else if (entry) {
		entry->policy_rev = revision;
		entry->policy_hit = hit;
	}
	return forwarded(skb, f, &c, cfg, egress, src_identity, metric_dir, status,
			 status == CT_NEW || ct_flags_news(entry, f, false));
}

SEC("tc")
int from_container(struct __sk_buff *skb)
{
	__u32 id = endpoint_of_ifindex(skb->ifindex);
	struct lxc_config cfg;
	struct flow f = {};
	int ret;

	endpoint_config_load(id, skb->ifindex, &cfg);
	ret = handle(skb, &f, id, &cfg, true, 0);
	if (ret == TC_ACT_OK && f.family && !(cfg.flags & LXC_F_LEGACY_ROUTING))
		local_delivery(skb, &f, cfg.identity);
	return ret;
}

SEC("tc")
int to_container(struct __sk_buff *skb)
{
	__u32 id = endpoint_of_ifindex(skb->ifindex);
	struct lxc_config cfg;
	struct flow f = {};

	endpoint_config_load(id, skb->ifindex, &cfg);
	return handle(skb, &f, id, &cfg, false, 0);
}

SEC("tc")
int lxc_policy(struct __sk_buff *skb)
{
	__u32 id = local_delivery_target(skb);
	struct lxc_config cfg;
	struct flow f = {};
	__u32 src_identity;
	int ret;

	/* Only reachable by tail call from a local sender's from_container or from_overlay. */
	if (!id)
		return TC_ACT_OK;
	skb->cb[CB_DELIVERY_MARK] = 0;
	src_identity = skb->cb[CB_SRC_IDENTITY];
	endpoint_config_load(id, 0, &cfg);
	ret = handle(skb, &f, id, &cfg, false, src_identity);
	if (ret != TC_ACT_OK || !f.family)
		return ret;
	return redirect_to_pod(skb, &f, cfg.ifindex);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
