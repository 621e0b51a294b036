/*
 * Programs for the node's VXLAN device (routing mode "tunnel", upstream's default): one
 * device per node in collect-metadata (external) mode, so these programs, not the device,
 * choose each packet's tunnel endpoint and VNI.
 *   to_overlay    tc egress:  a packet the node routes to another node's pod CIDR (the
 *                 agent's routes point those at this device). The peer node is the
 *                 destination's tunnel endpoint in the ipcache; the VNI is the source's
 *                 security identity, as upstream carries it (bpf_skb_set_tunnel_key).
 *   from_overlay  tc ingress: a decapsulated packet. Only a known node's tunnel endpoint
 *                 may send (the outer source must map to remote-node in the ipcache); the
 *                 sender's identity is the VNI, never looked up from the inner source
 *                 address, so a forged inner address gains nothing. The packet goes to
 *                 the destination endpoint's lxc_policy program, which applies its
 *                 ingress policy by that identity and hands it to the pod; a packet for
 *                 anything but a local endpoint is dropped.
 * Only endpoints' identities, remote-node and world cross the tunnel: what the node itself
 * sends is remote-node to the receiver (upstream maps host to remote-node on
 * encapsulation), and a host identity arriving from the tunnel is a forgery.
 */
#include "common.h"
#include "maps.h"
#include "parse.h"
#include "metrics.h"
#include "endpoints.h"
#include "events.h"
#include "local_delivery.h"
#include "overlay.h"

/* Keeps the event header in BTF (it is only used through a pointer otherwise). */
struct event_hdr *const event_hdr_btf_anchor __attribute__((used)) = 0;

static __always_inline int overlay_drop(struct __sk_buff *skb, const struct flow *f, struct event_ctx *c,
					int reason, __u8 metric_dir)
{
	metrics_update((__u8)-reason, metric_dir, skb->len);
	if (f->family)
		event_emit(skb, f, c, EVENT_WORD(EVENT_DROP, -reason, -reason, 0));
	return TC_ACT_SHOT;
}

SEC("tc")
int to_overlay(struct __sk_buff *skb)
{
	struct event_ctx c = { .obs_point = TRACE_TO_OVERLAY, .flags = EVENT_F_EGRESS };
	struct remote_endpoint_info *dst;
	struct bpf_tunnel_key key = {};
	struct flow f = {};
	__u32 identity;
	int ret;

	ret = overlay_parse(skb, &f);
	if (ret <= 0) {
		/* Not IP (the device does no ARP, so nothing else should come): never tunnelled. */
		return overlay_drop(skb, &f, &c, ret < 0 ? ret : DROP_UNKNOWN_L3, METRIC_EGRESS);
	}
	if (f.family == FAMILY_IPV6)
		c.flags |= EVENT_F_IPV6;
	ret = overlay_source_identity(skb, &f, &identity);
	c.src_identity = identity;
	if (ret < 0)
		return overlay_drop(skb, &f, &c, ret, METRIC_EGRESS);
	dst = ipcache_lookup(f.family, f.daddr);
	if (!dst || !dst->tunnel_endpoint)
		return overlay_drop(skb, &f, &c, DROP_NO_TUNNEL_ENDPOINT, METRIC_EGRESS);
	c.dst_identity = dst->identity;
	key.remote_ipv4 = bpf_ntohl(dst->tunnel_endpoint);
	key.tunnel_id = identity;
	key.tunnel_ttl = OVERLAY_TTL;
	if (bpf_skb_set_tunnel_key(skb, &key, sizeof(key), BPF_F_ZERO_CSUM_TX) < 0)
		return overlay_drop(skb, &f, &c, DROP_WRITE_ERROR, METRIC_EGRESS);
	metrics_update(REASON_FORWARDED, METRIC_EGRESS, skb->len);
	return TC_ACT_OK;
}

SEC("tc")
int from_overlay(struct __sk_buff *skb)
{
	struct event_ctx c = { .obs_point = TRACE_FROM_OVERLAY };
	struct bpf_tunnel_key key = {};
	struct flow f = {};
	int ret;

	ret = overlay_parse(skb, &f);
	if (f.family == FAMILY_IPV6)
		c.flags |= EVENT_F_IPV6;
	if (bpf_skb_get_tunnel_key(skb, &key, sizeof(key), 0) < 0)
		return overlay_drop(skb, &f, &c, DROP_NO_TUNNEL_KEY, METRIC_INGRESS);
	c.src_identity = key.tunnel_id;
	if (!overlay_known_node(key.remote_ipv4))
		return overlay_drop(skb, &f, &c, DROP_UNKNOWN_SENDER, METRIC_INGRESS);
	if (ret <= 0)
		return overlay_drop(skb, &f, &c, ret < 0 ? ret : DROP_UNKNOWN_L3, METRIC_INGRESS);
	if (!overlay_identity_valid(key.tunnel_id))
		return overlay_drop(skb, &f, &c, DROP_INVALID_IDENTITY, METRIC_INGRESS);
	local_delivery(skb, &f, key.tunnel_id);
	/* Only here when the destination is no local endpoint (or its program is not there yet). */
	return overlay_drop(skb, &f, &c, DROP_UNROUTABLE, METRIC_INGRESS);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
