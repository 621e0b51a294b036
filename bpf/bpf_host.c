// SPDX-License-Identifier: GPL-2.0
/*
 * The node's external devices (upstream's bpf_host.c, NodePort part): kube-proxy
 * replacement for traffic from outside the cluster.
 *
 *   from_netdev  tc ingress: a packet to a NodePort / LoadBalancer / ExternalIP frontend
 *                is sent to a backend (DNAT, and SNAT to this node when the backend is on
 *                another node); a reply of a SNATed connection is translated back
 *   to_netdev    tc egress: a local backend's reply leaves with the frontend as source
 *   both         an ICMP error about a translated connection reaches the client as about
 *                the frontend, one about a masqueraded connection the pod (lib/lb_icmp.h)
 *
 * A frontend with no backend answers a new connection at once with ICMP port
 * unreachable (the client's connect() fails with ECONNREFUSED), as upstream does.
 * Pods' connections and pings leaving the cluster are masqueraded on the same devices
 * (lib/nat.h): to_netdev SNATs them to this node's address, from_netdev translates their
 * replies back.
 * Everything else passes untouched: this program only translates, policy stays with
 * the endpoints' programs (which see the backend as destination, as upstream).
 */
#include "lib/nodeport.h"
#include "lib/nat.h"
#include "lib/lb_icmp.h"

#define FRONTEND_FROM_OUTSIDE	(SVC_F_NODE_PORT | SVC_F_EXTERNAL_IP | SVC_F_LOAD_BALANCER)

#ifndef AF_INET
#define AF_INET			2
#endif

#define IPV4_CSUM_OFF		10
#define IPV4_SADDR_OFF		12
#define IPV4_DADDR_OFF		16

#define ICMP_ECHO_ID_OFF	4

static __always_inline int nat_addr4(struct __sk_buff *skb, const struct flow *f, __u32 addr_off, const __u8 *from,
				     const __u8 *to)
{
	__be32 old, new;
	__u64 udp = f->protocol == IPPROTO_UDP ? BPF_F_MARK_MANGLED_0 : 0;

	__builtin_memcpy(&old, from, 4);
	__builtin_memcpy(&new, to, 4);
	if (old == new)
		return 0;
	/* later fragments carry no L4 header: the first fragment's checksum covers them;
	 * ICMP's checksum has no pseudo header */
	if (f->fragment != FRAG_LATER && f->protocol != IPPROTO_ICMP &&
	    bpf_l4_csum_replace(skb, f->l4_off + l4_csum_offset(f->protocol), old, new,
				BPF_F_PSEUDO_HDR | udp | sizeof(new)) < 0)
		return DROP_WRITE_ERROR;
	if (bpf_l3_csum_replace(skb, f->l3_off + IPV4_CSUM_OFF, old, new, sizeof(new)) < 0)
		return DROP_WRITE_ERROR;
	if (bpf_skb_store_bytes(skb, f->l3_off + addr_off, &new, sizeof(new), 0) < 0)
		return DROP_WRITE_ERROR;
	return 0;
}

/* A port, or for ICMP echo the identifier (both "ports" of an echo live there). */
static __always_inline int nat_port(struct __sk_buff *skb, const struct flow *f, __u32 port_off, __be16 old,
				    __be16 new)
{
	__u64 udp = f->protocol == IPPROTO_UDP ? BPF_F_MARK_MANGLED_0 : 0;

	if (old == new || f->fragment == FRAG_LATER)
		return 0;
	if (f->protocol == IPPROTO_ICMP)
		port_off = ICMP_ECHO_ID_OFF;
	if (bpf_l4_csum_replace(skb, f->l4_off + l4_csum_offset(f->protocol), old, new, udp | sizeof(new)) < 0)
		return DROP_WRITE_ERROR;
	if (bpf_skb_store_bytes(skb, f->l4_off + port_off, &new, sizeof(new), 0) < 0)
		return DROP_WRITE_ERROR;
	return 0;
}

/* Rewrites the packet's tuple to what the entry says, fixing the checksums. */
static __always_inline int nat_rewrite(struct __sk_buff *skb, const struct flow *f, const struct lb_nat_entry *to)
{
	int ret;

	ret = nat_addr4(skb, f, IPV4_SADDR_OFF, f->saddr, to->to_saddr);
	if (ret < 0)
		return ret;
	ret = nat_addr4(skb, f, IPV4_DADDR_OFF, f->daddr, to->to_daddr);
	if (ret < 0)
		return ret;
	ret = nat_port(skb, f, 0, f->sport, to->to_sport);
	if (ret < 0)
		return ret;
	return nat_port(skb, f, 2, f->dport, to->to_dport);
}

/*
 * Sends a translated packet on towards its new destination: through the stack, or, for
 * SNATed connections, straight out of the device the FIB names (neighbour resolved by
 * the kernel), as upstream's NodePort does.
 */
static __always_inline int nat_redirect(struct __sk_buff *skb, __be32 saddr, __be32 daddr)
{
	struct bpf_fib_lookup fib = {};
	int ret;

	fib.family = AF_INET;
	fib.ifindex = skb->ifindex;
	fib.ipv4_src = saddr;
	fib.ipv4_dst = daddr;
	ret = bpf_fib_lookup(skb, &fib, sizeof(fib), BPF_FIB_LOOKUP_SKIP_NEIGH);
	if (ret != BPF_FIB_LKUP_RET_SUCCESS)
		return DROP_NO_FIB;
	return bpf_redirect_neigh(fib.ifindex, NULL, 0, 0);
}

static __always_inline int nat_forward(struct __sk_buff *skb, const struct lb_nat_entry *to)
{
	__be32 saddr, daddr;

	if (!(to->flags & LB_NAT_F_REDIRECT))
		return TC_ACT_OK;
	__builtin_memcpy(&saddr, to->to_saddr, 4);
	__builtin_memcpy(&daddr, to->to_daddr, 4);
	return nat_redirect(skb, saddr, daddr);
}

/* Rewrites, then forwards. */
static __always_inline int nat_apply(struct __sk_buff *skb, const struct flow *f, const struct lb_nat_entry *to)
{
	int ret = nat_rewrite(skb, f, to);

	if (ret < 0)
		return ret;
	return nat_forward(skb, to);
}

/* A reply of a translated connection: back to the frontend's address (and the client's). */
static __always_inline int nat_reverse(struct __sk_buff *skb, const struct flow *f, bool *translated)
{
	struct lb_nat_tuple t = {};
	struct lb_nat_entry *to;

	nat_tuple_of(&t, f);
	to = bpf_map_lookup_elem(&lb_nat_rev, &t);
	if (!to)
		return 0;
	*translated = true;
	return nat_apply(skb, f, to);
}

/*
 * ICMP port unreachable to the client (RFC 792), quoting the IP header and first 8
 * bytes of its packet, sent back out of the device it came in on. Out of line: only a
 * frontend without backends gets here.
 */
static __attribute__((noinline)) int lb_refuse4(struct __sk_buff *skb, const struct flow *f)
{
	struct ethhdr eth, reply_eth;
	struct iphdr ip = {};
	struct {
		__u8 type;
		__u8 code;
		__sum16 csum;
		__u32 unused;
		__u8 quote[28];
	} icmp = { .type = ICMP_DEST_UNREACH, .code = 3 /* port unreachable */ };
	__u32 sum;

	if (f->l3_off != ETH_HLEN || f->l4_off != ETH_HLEN + 20 || f->fragment == FRAG_LATER)
		return DROP_NO_SERVICE;
	if (bpf_skb_load_bytes(skb, 0, &eth, sizeof(eth)) < 0 ||
	    bpf_skb_load_bytes(skb, ETH_HLEN, icmp.quote, sizeof(icmp.quote)) < 0)
		return DROP_NO_SERVICE;
	__builtin_memcpy(reply_eth.h_dest, eth.h_source, ETH_ALEN);
	__builtin_memcpy(reply_eth.h_source, eth.h_dest, ETH_ALEN);
	reply_eth.h_proto = eth.h_proto;

	ip.version = 4;
	ip.ihl = 5;
	ip.tot_len = bpf_htons(sizeof(ip) + sizeof(icmp));
	ip.ttl = 64;
	ip.protocol = IPPROTO_ICMP;
	__builtin_memcpy(&ip.saddr, f->daddr, 4);
	__builtin_memcpy(&ip.daddr, f->saddr, 4);
	sum = bpf_csum_diff(NULL, 0, (__be32 *)&ip, sizeof(ip), 0);
	sum = (sum & 0xffff) + (sum >> 16);
	ip.check = ~((sum & 0xffff) + (sum >> 16));
	sum = bpf_csum_diff(NULL, 0, (__be32 *)&icmp, sizeof(icmp), 0);
	sum = (sum & 0xffff) + (sum >> 16);
	icmp.csum = ~((sum & 0xffff) + (sum >> 16));

	if (bpf_skb_change_tail(skb, ETH_HLEN + sizeof(ip) + sizeof(icmp), 0) < 0 ||
	    bpf_skb_store_bytes(skb, 0, &reply_eth, sizeof(reply_eth), 0) < 0 ||
	    bpf_skb_store_bytes(skb, ETH_HLEN, &ip, sizeof(ip), 0) < 0 ||
	    bpf_skb_store_bytes(skb, ETH_HLEN + sizeof(ip), &icmp, sizeof(icmp), 0) < 0)
		return DROP_WRITE_ERROR;
	return bpf_redirect(skb->ifindex, 0);
}

/* Chooses the new connection's backend and records both directions of its translation. */
static __always_inline int lb_nodeport_new(struct __sk_buff *skb, const struct flow *f, struct lb_key *key,
					   const struct lb_service *svc, struct lb_nat_entry *fwd)
{
	struct lb_nat_tuple orig = {}, reply = {};
	struct lb_nat_entry rev = {};
	struct lb_backend *backend;
	__u32 backend_id = 0, ifindex = skb->ifindex;
	__be32 *node;
	int i;

	backend = lb_nodeport_backend(key, svc, f, &backend_id);
	if (!backend || backend->family != FAMILY_IPV4)
		return DROP_NO_SERVICE;
	fwd->backend_id = backend_id;
	__builtin_memcpy(fwd->to_daddr, backend->addr, 16);
	fwd->to_dport = backend->port;
	__builtin_memcpy(fwd->to_saddr, f->saddr, 16);
	fwd->to_sport = f->sport;

	/* the reply, as it will arrive: backend -> (client | node:port) */
	__builtin_memcpy(reply.saddr, backend->addr, 16);
	reply.sport = backend->port;
	reply.proto = f->protocol;
	reply.family = f->family;
	__builtin_memcpy(rev.to_saddr, f->daddr, 16);
	rev.to_sport = f->dport;
	__builtin_memcpy(rev.to_daddr, f->saddr, 16);
	rev.to_dport = f->sport;

	if (endpoint_lookup(FAMILY_IPV4, backend->addr)) {
		__builtin_memcpy(reply.daddr, f->saddr, 16);
		reply.dport = f->sport;
		if (bpf_map_update_elem(&lb_nat_rev, &reply, &rev, BPF_ANY) < 0)
			return DROP_CT_CREATE_FAILED;
	} else {
		fwd->flags = LB_NAT_F_REDIRECT;
		rev.flags = LB_NAT_F_REDIRECT;
		/* another node's backend: it must answer through us */
		node = bpf_map_lookup_elem(&lb_host_addrs, &ifindex);
		if (!node)
			return DROP_NAT_NO_MAPPING;
		__builtin_memset(fwd->to_saddr, 0, 16);
		__builtin_memcpy(fwd->to_saddr, node, 4);
		__builtin_memcpy(reply.daddr, fwd->to_saddr, 16);
		for (i = 0; i < LB_SNAT_TRIES; i++) {
			reply.dport = bpf_htons(LB_SNAT_PORT_MIN + bpf_get_prandom_u32() % LB_SNAT_PORT_COUNT);
			if (bpf_map_update_elem(&lb_nat_rev, &reply, &rev, BPF_NOEXIST) == 0)
				break;
		}
		if (i == LB_SNAT_TRIES)
			return DROP_NAT_NO_MAPPING;
		fwd->to_sport = reply.dport;
	}
	nat_tuple_of(&orig, f);
	if (bpf_map_update_elem(&lb_nat_fwd, &orig, fwd, BPF_ANY) < 0) {
		bpf_map_delete_elem(&lb_nat_rev, &reply);
		return DROP_CT_CREATE_FAILED;
	}
	return 0;
}

/*
 * A tracked connection keeps its backend. Only a fresh SYN for a tuple whose backend has
 * left the backend map starts over (the client reused its port after the old
 * connection ended).
 */
static __always_inline bool lb_nat_still_valid(const struct flow *f, const struct lb_nat_entry *fwd)
{
	__u32 id = fwd->backend_id;

	if (f->protocol != IPPROTO_TCP || (f->tcp_flags & (TCP_F_SYN | TCP_F_ACK)) != TCP_F_SYN)
		return true;
	return bpf_map_lookup_elem(&lb_backends, &id) != NULL;
}

static __always_inline int lb_nodeport(struct __sk_buff *skb, const struct flow *f)
{
	struct lb_nat_tuple orig = {};
	struct lb_nat_entry fwd = {}, *known;
	struct lb_key key = {};
	struct lb_service *svc;
	int ret;

	nat_tuple_of(&orig, f);
	known = bpf_map_lookup_elem(&lb_nat_fwd, &orig);
	if (known && lb_nat_still_valid(f, known))
		return nat_apply(skb, f, known);

	__builtin_memcpy(key.addr, f->daddr, 16);
	key.dport = f->dport;
	key.proto = f->protocol;
	key.family = f->family;
	key.scope = LB_SCOPE_EXTERNAL;
	svc = bpf_map_lookup_elem(&lb_services, &key);
	if (!svc || !(svc->flags & FRONTEND_FROM_OUTSIDE))
		return 0;
	if (svc->count == 0)
		return lb_refuse4(skb, f);
	ret = lb_nodeport_new(skb, f, &key, svc, &fwd);
	if (ret == DROP_NO_SERVICE)
		return lb_refuse4(skb, f);
	if (ret < 0)
		return ret;
	return nat_apply(skb, f, &fwd);
}

static __always_inline int verdict(int ret)
{
	if (ret < 0)
		return TC_ACT_SHOT;
	return ret == TC_ACT_REDIRECT ? TC_ACT_REDIRECT : TC_ACT_OK;
}

/*
 * Only IPv4 TCP/UDP is translated, ICMPv4 echo (masquerade) and ICMPv4 errors about
 * either; anything else, or what fails to parse, is not ours.
 */
static __always_inline bool translatable(struct __sk_buff *skb, struct flow *f)
{
	if (parse_packet(skb, f) != 1 || f->family != FAMILY_IPV4)
		return false;
	return f->protocol == IPPROTO_TCP || f->protocol == IPPROTO_UDP ||
	       (f->protocol == IPPROTO_ICMP &&
		(f->icmp_error || f->icmp_type == ICMP_ECHO || f->icmp_type == ICMP_ECHOREPLY));
}

/* Where a translated ICMP error goes when this program routes it (LB_NAT_F_REDIRECT). */
struct icmp_error_route {
	__be32 saddr;
	__be32 daddr;
};

/*
 * An ICMP error about a translated connection, toward the side that knows it: the LB's
 * client, or, for a masqueraded connection, the pod (from outside: snat_v4_rev) or the
 * remote (to outside, the pod's own error about a reply it got: snat_v4_fwd). Others pass
 * as they are. Returns below 0 to drop, 1 with *route filled when the entry asks us to
 * route it, 0 to let it pass. Out of line: its quote buffers would not fit beside the
 * NodePort path in one stack frame.
 */
static __attribute__((noinline)) int icmp_error_reverse(struct __sk_buff *skb, const struct flow *f,
							 bool from_outside, struct icmp_error_route *route)
{
	struct lb_nat_entry *to;
	int ret;

	/* masquerade entries carry no LB_NAT_F_REDIRECT: the stack delivers to the pod */
	to = icmp_error_translate(skb, f, from_outside, &ret);
	if (!to || ret < 0)
		return ret;
	if (!(to->flags & LB_NAT_F_REDIRECT))
		return 0;
	__builtin_memcpy(&route->saddr, to->to_saddr, 4);
	__builtin_memcpy(&route->daddr, to->to_daddr, 4);
	return 1;
}

static __always_inline int icmp_error(struct __sk_buff *skb, const struct flow *f, bool from_outside)
{
	struct icmp_error_route route = {};
	int ret = icmp_error_reverse(skb, f, from_outside, &route);

	if (ret <= 0)
		return ret;
	return nat_redirect(skb, route.saddr, route.daddr);
}

SEC("tc")
int from_netdev(struct __sk_buff *skb)
{
	struct lb_nat_entry *masq;
	struct flow f = {};
	bool translated = false;
	int ret;

	if (!translatable(skb, &f))
		return TC_ACT_OK;
	if (f.icmp_error)
		return verdict(icmp_error(skb, &f, true));
	if (f.protocol == IPPROTO_ICMP) {
		/* an echo reply to a masqueraded ping; a ping to the node is the stack's */
		masq_key_flow(&f);
		masq = masq_ingress(&f);
		return masq ? verdict(nat_rewrite(skb, &f, masq)) : TC_ACT_OK;
	}
	ret = nat_reverse(skb, &f, &translated);
	if (translated)
		return verdict(ret);
	masq = masq_ingress(&f);
	if (masq)
		return verdict(nat_rewrite(skb, &f, masq));
	return verdict(lb_nodeport(skb, &f));
}

SEC("tc")
int to_netdev(struct __sk_buff *skb)
{
	struct lb_nat_entry masq = {};
	struct flow f = {};
	bool translated = false;
	int ret;

	if (!translatable(skb, &f))
		return TC_ACT_OK;
	if (f.icmp_error)
		return verdict(icmp_error(skb, &f, false));
	if (f.protocol != IPPROTO_ICMP) {
		ret = nat_reverse(skb, &f, &translated);
		if (translated)
			return verdict(ret);
	}
	/* a pod's ping is keyed by its identifier; an echo reply is never masqueraded */
	masq_key_flow(&f);
	ret = masq_egress(skb, &f, &masq);
	if (ret > 0)
		ret = nat_rewrite(skb, &f, &masq);
	return verdict(ret);
}

char LICENSE[] SEC("license") = "GPL";
