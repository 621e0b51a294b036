/*
 * Masquerade (upstream's BPF masquerading, lib/nat.h and the ip-masq-agent map): a pod's
 * IPv4 TCP/UDP connection, or its ping, leaving the cluster through a node device leaves
 * with this node's address on that device as its source, so the outside, which has no
 * route to pod CIDRs, can answer; the answer is translated back to the pod before the
 * stack sees it, and so are ICMP errors about the connection (lib/lb_icmp.h).
 *
 * A packet is masqueraded on a device bpf_host is attached to (to_netdev) when:
 *   - masquerading is on (masq_config);
 *   - it is TCP, UDP or an ICMP echo request (echo replies answer pings from outside,
 *     which know the pod by its address, as upstream leaves them alone);
 *   - its source is a local endpoint (endpoints map): the node's own traffic already
 *     carries a node address, and forwarded traffic is not ours to hide;
 *   - it is no reply of a connection the remote opened to the pod (the pod's conntrack
 *     tracked it at ingress): the remote knows the pod by its own address, as upstream
 *     leaves such replies alone;
 *   - its destination is outside the cluster: the ipcache knows it as nothing, world, or a
 *     CIDR identity (pods, nodes, host are in the cluster and see pod addresses, as
 *     upstream; tunnelled traffic leaves with the node's address as outer source anyway);
 *   - its destination is in no pod CIDR or pool block of the cluster (masq_cluster_v4,
 *     written by the agent from every CiliumNode: upstream's IPV4_SNAT_EXCLUSION_DST_CIDR,
 *     the pod CIDRs, without the user listing them; a pod of another node the ipcache
 *     does not know yet still sees the pod's address);
 *   - its destination is in no non-masquerade CIDR (ipmasq_v4, upstream's
 *     cilium_ipmasq_v4 written from ipMasqAgent's nonMasqueradeCIDRs).
 *
 * Every connection has two entries, as the tc LB's (nodeport.h), in tables of its own:
 *   snat_v4_fwd  pod -> remote            =>  node:port -> remote
 *   snat_v4_rev  remote -> node:port      =>  remote -> pod
 * The node port is chosen so the reverse tuple is unique: two pods using the same source
 * port towards the same remote get different node ports (BPF_NOEXIST on the reverse
 * entry decides, atomically, across CPUs). Node ports come from MASQ_PORT_MIN..MAX, above
 * Linux's default ephemeral range (32768-60999, ip_local_port_range) and the tc LB's SNAT
 * range, so a masqueraded connection never takes the tuple of a connection the node
 * itself opened or SNATed for a NodePort. Later fragments carry no ports and keep them.
 *
 * A ping is keyed as upstream keys it: the echo identifier is the request's source port
 * and the reply's destination port, the other port 0. The identifier is kept when free
 * and else drawn from the whole 16-bit space (upstream does not clamp it to the port
 * range), so two pods pinging one remote with the same identifier both get answers.
 * Fragmented echo requests are not masqueraded (upstream drops them).
 */
#pragma once

#include "common.h"
#include "parse.h"
#include "endpoints.h"
#include "nodeport.h"
#include "conntrack.h"

#ifndef SNAT_MAP_SIZE
#define SNAT_MAP_SIZE		131072
#endif
#ifndef IPMASQ_MAP_SIZE
#define IPMASQ_MAP_SIZE		16384	/* upstream's ip-masq-agent map size */
#endif

#define MASQ_PORT_MIN		61000
#define MASQ_PORT_COUNT		4536	/* 61000..65535 */
#define MASQ_TRIES		16

/* Local identities (CIDR identities) have bit 24 set: never a cluster peer. */
#define IDENTITY_LOCAL_SCOPE	(1U << 24)

struct masq_config {
	__u32 enabled;		/* 1: masquerade as above; 0: pass everything untouched */
};

/* Key of the non-masquerade CIDR trie: IPv4 only, as upstream's ipmasq_v4. */
struct ipmasq_key {
	__u32 prefixlen;
	__u8 addr[4];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct masq_config);
	__uint(max_entries, 1);
} masq_config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__type(key, struct ipmasq_key);
	__type(value, __u8);
	__uint(max_entries, IPMASQ_MAP_SIZE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} ipmasq_v4 SEC(".maps");

/* The cluster's pod CIDRs and pool blocks (same key as ipmasq_v4): never masqueraded. */
struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__type(key, struct ipmasq_key);
	__type(value, __u8);
	__uint(max_entries, IPMASQ_MAP_SIZE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} masq_cluster_v4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, struct lb_nat_tuple);
	__type(value, struct lb_nat_entry);
	__uint(max_entries, SNAT_MAP_SIZE);
} snat_v4_fwd SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, struct lb_nat_tuple);
	__type(value, struct lb_nat_entry);
	__uint(max_entries, SNAT_MAP_SIZE);
} snat_v4_rev SEC(".maps");

/* Whether the cluster knows the destination as one of its own (pod, node, host). */
static __always_inline bool masq_cluster_destination(const __u8 *daddr)
{
	struct ipcache_key key = { .prefixlen = 32 + 32, .family = FAMILY_IPV4 };
	struct remote_endpoint_info *info;
	__u32 id;

	__builtin_memcpy(key.addr, daddr, 4);
	info = bpf_map_lookup_elem(&ipcache, &key);
	if (!info)
		return false;
	id = info->identity;
	return id != IDENTITY_WORLD && id != IDENTITY_WORLD_IPV4 && id != IDENTITY_WORLD_IPV6 &&
	       !(id & IDENTITY_LOCAL_SCOPE);
}

static __always_inline bool masq_non_masquerade(const __u8 *daddr)
{
	struct ipmasq_key key = { .prefixlen = 32 };

	__builtin_memcpy(key.addr, daddr, 4);
	return bpf_map_lookup_elem(&masq_cluster_v4, &key) != NULL ||
	       bpf_map_lookup_elem(&ipmasq_v4, &key) != NULL;
}

static __always_inline bool masq_echo_request(const struct flow *f)
{
	return f->protocol == IPPROTO_ICMP && f->icmp_type == ICMP_ECHO;
}

/*
 * Keys the flow as the masquerade tables do: an echo request's identifier as source port
 * (destination port 0), an echo reply's as destination port (source port 0); TCP and UDP
 * as parsed. In place: the programs' stack has no room for a second flow.
 */
static __always_inline void masq_key_flow(struct flow *f)
{
	if (f->protocol != IPPROTO_ICMP)
		return;
	if (f->icmp_type == ICMP_ECHO)
		f->dport = 0;
	else
		f->sport = 0;
}

/* Whether the pod's ingress conntrack holds this packet as the reply of a connection the remote opened. */
static __always_inline bool masq_reply_to_remote(const struct flow *f, __u16 endpoint_id)
{
	struct ct_key key = {};

	ct_fill_key(&key, f, endpoint_id, CT_INGRESS, true);
	return ct_find(&key, ct_now_sec()) != NULL;
}

static __always_inline bool masq_wanted(const struct flow *f)
{
	__u32 zero = 0;
	struct masq_config *cfg = bpf_map_lookup_elem(&masq_config, &zero);
	struct endpoint_info *ep;

	if (!cfg || !cfg->enabled || f->family != FAMILY_IPV4)
		return false;
	if (f->protocol != IPPROTO_TCP && f->protocol != IPPROTO_UDP && !(masq_echo_request(f) && !f->fragment))
		return false;
	ep = endpoint_lookup(FAMILY_IPV4, f->saddr);
	/* an echo request is never a reply */
	if (!ep || (f->protocol != IPPROTO_ICMP && masq_reply_to_remote(f, ep->endpoint_id)))
		return false;
	return !masq_cluster_destination(f->daddr) && !masq_non_masquerade(f->daddr);
}

/*
 * A node port for a new connection: the pod's own port if free and in range, else random;
 * an echo identifier is kept if free, else random over all 16 bits.
 */
static __always_inline __be16 masq_port_candidate(const struct flow *f, int attempt)
{
	__u16 port = bpf_ntohs(f->sport);

	if (attempt == 0 && (port >= MASQ_PORT_MIN || f->protocol == IPPROTO_ICMP))
		return f->sport;
	if (f->protocol == IPPROTO_ICMP)
		return (__be16)bpf_get_prandom_u32();
	return bpf_htons(MASQ_PORT_MIN + bpf_get_prandom_u32() % MASQ_PORT_COUNT);
}

/*
 * Records both directions of a new masqueraded connection (f as masq_key_flow keys it); fwd
 * receives the forward translation.
 */
static __always_inline int masq_new(const struct flow *f, const __u8 *node, struct lb_nat_entry *fwd)
{
	struct lb_nat_tuple orig = {}, reply = {};
	struct lb_nat_entry rev = {};
	int i;

	__builtin_memcpy(reply.saddr, f->daddr, 4);
	reply.sport = f->dport;
	__builtin_memcpy(reply.daddr, node, 4);
	reply.proto = f->protocol;
	reply.family = FAMILY_IPV4;
	__builtin_memcpy(rev.to_saddr, f->daddr, 4);
	rev.to_sport = f->dport;
	__builtin_memcpy(rev.to_daddr, f->saddr, 4);
	rev.to_dport = f->sport;

	for (i = 0; i < MASQ_TRIES; i++) {
		reply.dport = masq_port_candidate(f, i);
		if (bpf_map_update_elem(&snat_v4_rev, &reply, &rev, BPF_NOEXIST) == 0)
			break;
	}
	if (i == MASQ_TRIES)
		return DROP_NAT_NO_MAPPING;

	__builtin_memcpy(fwd->to_saddr, node, 4);
	fwd->to_sport = reply.dport;
	__builtin_memcpy(fwd->to_daddr, f->daddr, 4);
	fwd->to_dport = f->dport;
	nat_tuple_of(&orig, f);
	if (bpf_map_update_elem(&snat_v4_fwd, &orig, fwd, BPF_ANY) < 0) {
		bpf_map_delete_elem(&snat_v4_rev, &reply);
		return DROP_CT_CREATE_FAILED;
	}
	return 0;
}

/*
 * Egress on a node device: 1 with the translation in *to when the packet (f as masq_key_flow
 * keys it) is to be masqueraded, 0 when it is not ours, below 0 to drop (no node port
 * left).
 */
static __always_inline int masq_egress(struct __sk_buff *skb, const struct flow *f, struct lb_nat_entry *to)
{
	struct lb_nat_tuple orig = {};
	struct lb_nat_entry *known;
	__u32 ifindex = skb->ifindex;
	__be32 *node;
	int ret;

	if (!masq_wanted(f))
		return 0;
	nat_tuple_of(&orig, f);
	known = bpf_map_lookup_elem(&snat_v4_fwd, &orig);
	if (known) {
		__builtin_memcpy(to, known, sizeof(*to));
		return 1;
	}
	/* later fragments follow their first one, which created the entry */
	if (f->fragment == FRAG_LATER)
		return 0;
	node = bpf_map_lookup_elem(&lb_host_addrs, &ifindex);
	if (!node)
		return 0;
	ret = masq_new(f, (const __u8 *)node, to);
	return ret < 0 ? ret : 1;
}

/*
 * Ingress on a node device: the pod a reply to a masqueraded connection (f as masq_key_flow
 * keys it) is for, or NULL.
 */
static __always_inline struct lb_nat_entry *masq_ingress(const struct flow *f)
{
	struct lb_nat_tuple reply = {};
	__u32 zero = 0;
	struct masq_config *cfg = bpf_map_lookup_elem(&masq_config, &zero);

	if (!cfg || !cfg->enabled || f->family != FAMILY_IPV4)
		return NULL;
	if (f->protocol == IPPROTO_ICMP && (f->icmp_type != ICMP_ECHOREPLY || f->fragment))
		return NULL;
	nat_tuple_of(&reply, f);
	return bpf_map_lookup_elem(&snat_v4_rev, &reply);
}
