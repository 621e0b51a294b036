// SPDX-License-Identifier: GPL-2.0
/*
 * Socket-level service load balancing (upstream's bpf_sock.c, "kube-proxy replacement at
 * the socket layer"): attached to the cgroup v2 root, so pods and the host alike.
 *
 *   connect4/6   a connect() to a service frontend is rewritten to one backend, so the
 *                connection is made straight to the backend: no per-packet NAT at all
 *   sendmsg4/6   the same for unconnected UDP (sendto)
 *   recvmsg4/6   a UDP reply from a backend appears to come from the service address
 *   getpeername4/6  returns the service address the application connected to
 *
 * A service with no backend refuses at once: connect()/sendto() fail with ECONNREFUSED
 * instead of timing out. IPv4 services are also found through IPv4-mapped IPv6 socket
 * addresses (dual-stack sockets, as Java opens by default).
 */
#include "lb.h"

#define SYS_REJECT	0
#define SYS_PROCEED	1

#ifndef ECONNREFUSED
#define ECONNREFUSED	111
#endif

/* An address as the LB maps hold it. */
struct sock_addr {
	__u8 addr[16];
	__be16 port;
	__u8 family;
};

static __always_inline bool is_v4_mapped(__u32 w0, __u32 w1, __u32 w2)
{
	return w0 == 0 && w1 == 0 && w2 == bpf_htonl(0x0000ffff);
}

static __always_inline void read_dst(struct bpf_sock_addr *ctx, bool v6, struct sock_addr *out)
{
	volatile __u32 port = ctx->user_port;
	__u32 *words = (__u32 *)out->addr;

	out->port = (__be16)port;
	if (!v6) {
		words[0] = ctx->user_ip4;
		out->family = FAMILY_IPV4;
		return;
	}
	__u32 w0 = ctx->user_ip6[0], w1 = ctx->user_ip6[1], w2 = ctx->user_ip6[2], w3 = ctx->user_ip6[3];

	if (is_v4_mapped(w0, w1, w2)) {
		words[0] = w3;
		out->family = FAMILY_IPV4;
		return;
	}
	words[0] = w0;
	words[1] = w1;
	words[2] = w2;
	words[3] = w3;
	out->family = FAMILY_IPV6;
}

static __always_inline void write_dst(struct bpf_sock_addr *ctx, bool v6, const __u8 *addr, __u8 family,
				      __be16 port)
{
	const __u32 *words = (const __u32 *)addr;

	ctx->user_port = (__u32)port;
	if (!v6) {
		ctx->user_ip4 = words[0];
		return;
	}
	if (family == FAMILY_IPV4) {
		ctx->user_ip6[0] = 0;
		ctx->user_ip6[1] = 0;
		ctx->user_ip6[2] = bpf_htonl(0x0000ffff);
		ctx->user_ip6[3] = words[0];
		return;
	}
	ctx->user_ip6[0] = words[0];
	ctx->user_ip6[1] = words[1];
	ctx->user_ip6[2] = words[2];
	ctx->user_ip6[3] = words[3];
}

static __always_inline bool same_addr(const __u8 *a, const __u8 *b)
{
	const __u32 *x = (const __u32 *)a, *y = (const __u32 *)b;

	return x[0] == y[0] && x[1] == y[1] && x[2] == y[2] && x[3] == y[3];
}

/* 0: not a service (or translated), negative errno: refuse. */
static __always_inline int sock_xlate_fwd(struct bpf_sock_addr *ctx, bool v6)
{
	struct lb_key key = {};
	struct sock_addr dst = {};
	struct lb_sock_key rkey = {};
	struct lb_sock_value rval = {};
	struct lb_service *svc;
	struct lb_backend *backend;
	__u32 backend_id = 0;
	__u8 proto = (__u8)ctx->protocol;

	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP)
		return 0;
	read_dst(ctx, v6, &dst);
	__builtin_memcpy(key.addr, dst.addr, 16);
	key.family = dst.family;
	key.dport = dst.port;
	key.proto = proto;
	svc = lb_lookup_service(&key);
	if (!svc)
		return 0;
	if (svc->count == 0)
		return -ECONNREFUSED;
	backend = lb_select_backend(&key, svc, bpf_get_netns_cookie(ctx), &backend_id);
	if (!backend || backend->family != dst.family)
		return -ECONNREFUSED;

	rkey.cookie = bpf_get_socket_cookie(ctx);
	__builtin_memcpy(rkey.addr, backend->addr, 16);
	rkey.port = backend->port;
	rkey.family = backend->family;
	__builtin_memcpy(rval.addr, dst.addr, 16);
	rval.port = dst.port;
	rval.rev_nat_index = svc->rev_nat_index;
	bpf_map_update_elem(&lb_sock_revnat, &rkey, &rval, BPF_ANY);

	write_dst(ctx, v6, backend->addr, backend->family, backend->port);
	return 0;
}

/* The frontend a backend address stands for on this socket, if the service still exists. */
static __always_inline void sock_xlate_rev(struct bpf_sock_addr *ctx, bool v6)
{
	struct sock_addr src = {};
	struct lb_sock_key rkey = {};
	struct lb_sock_value *rval;
	struct lb_reverse_nat *rev;
	__u16 index;

	read_dst(ctx, v6, &src);
	rkey.cookie = bpf_get_socket_cookie(ctx);
	__builtin_memcpy(rkey.addr, src.addr, 16);
	rkey.port = src.port;
	rkey.family = src.family;
	rval = bpf_map_lookup_elem(&lb_sock_revnat, &rkey);
	if (!rval)
		return;
	index = rval->rev_nat_index;
	rev = bpf_map_lookup_elem(&lb_reverse_nat, &index);
	if (!rev || rev->port != rval->port || !same_addr(rev->addr, rval->addr)) {
		/* the service went away or changed: show the real peer */
		bpf_map_delete_elem(&lb_sock_revnat, &rkey);
		return;
	}
	write_dst(ctx, v6, rval->addr, src.family, rval->port);
}

static __always_inline int sock_fwd(struct bpf_sock_addr *ctx, bool v6)
{
	int err = sock_xlate_fwd(ctx, v6);

	if (err < 0) {
		bpf_set_retval(err);
		return SYS_REJECT;
	}
	return SYS_PROCEED;
}

SEC("cgroup/connect4")
int sock4_connect(struct bpf_sock_addr *ctx)
{
	return sock_fwd(ctx, false);
}

SEC("cgroup/sendmsg4")
int sock4_sendmsg(struct bpf_sock_addr *ctx)
{
	return sock_fwd(ctx, false);
}

SEC("cgroup/recvmsg4")
int sock4_recvmsg(struct bpf_sock_addr *ctx)
{
	sock_xlate_rev(ctx, false);
	return SYS_PROCEED;
}

SEC("cgroup/getpeername4")
int sock4_getpeername(struct bpf_sock_addr *ctx)
{
	sock_xlate_rev(ctx, false);
	return SYS_PROCEED;
}

SEC("cgroup/connect6")
int sock6_connect(struct bpf_sock_addr *ctx)
{
	return sock_fwd(ctx, true);
}

SEC("cgroup/sendmsg6")
int sock6_sendmsg(struct bpf_sock_addr *ctx)
{
	return sock_fwd(ctx, true);
}

SEC("cgroup/recvmsg6")
int sock6_recvmsg(struct bpf_sock_addr *ctx)
{
	sock_xlate_rev(ctx, true);
	return SYS_PROCEED;
}

SEC("cgroup/getpeername6")
int sock6_getpeername(struct bpf_sock_addr *ctx)
{
	sock_xlate_rev(ctx, true);
	return SYS_PROCEED;
}

/* Keeps every mirrored struct in BTF for the layout test (unused locals are dropped). */
struct lb_btf_anchor {
	struct lb_key k;
	struct lb_service s;
	struct lb_backend b;
	struct lb_reverse_nat r;
	struct lb_sock_key sk;
	struct lb_sock_value sv;
	struct lb_affinity_key ak;
	struct lb_affinity_value av;
	struct lb_affinity_match_key am;
} *lb_btf_anchor __attribute__((used));

char LICENSE[] SEC("license") = "GPL";
