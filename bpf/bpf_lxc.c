/*
 * Programs for a pod's host-side veth:
 *   from-container  tc ingress: packets the pod sends (egress policy of the endpoint)
 *   to-container    tc egress:  packets delivered to the pod (ingress policy)
 */
#include "common.h"
#include "maps.h"
#include "parse.h"
#include "metrics.h"

static __always_inline int account(int ret, __u8 dir, __u32 len)
{
	if (ret < 0) {
		metrics_update((__u8)-ret, dir, len);
		return TC_ACT_SHOT;
	}
	metrics_update(REASON_FORWARDED, dir, len);
	return TC_ACT_OK;
}

SEC("tc")
int from_container(struct __sk_buff *skb)
{
	struct flow f = {};
	int ret = parse_packet(skb, &f);

	return account(ret, METRIC_EGRESS, skb->len);
}

SEC("tc")
int to_container(struct __sk_buff *skb)
{
	struct flow f = {};
	int ret = parse_packet(skb, &f);

	return account(ret, METRIC_INGRESS, skb->len);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
