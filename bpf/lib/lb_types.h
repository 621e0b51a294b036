/*
 * The structs of the service load balancer that cross between the kernel and the agent.
 *
 * Mirrored field for field by io.jcilium.agent.service.maps.LbStructs; LbStructsLayoutTest
 * compares both through bpf_sock.o's BTF, so change both together. No implicit padding:
 * keys are compared byte for byte.
 *
 * One set of maps serves IPv4 and IPv6 (the family is part of every key, an IPv4 address
 * sits in the first 4 bytes of addr, as in the ipcache key), so an IPv4 service reached
 * through an IPv4-mapped IPv6 socket address is the same entry. Upstream keeps separate
 * lb4_* and lb6_* maps with the same fields.
 */
#pragma once

#include <linux/types.h>

/*
 * Service map key. backend_slot 0 is the service's master entry (count, flags, rev NAT
 * index); slots 1..count hold one backend id each, so choosing a backend is one random
 * slot and two lookups whatever the number of services.
 */
struct lb_key {
	__u8 addr[16];		/* frontend address, network order */
	__be16 dport;		/* frontend port */
	__u16 backend_slot;
	__u8 proto;		/* IPPROTO_TCP / IPPROTO_UDP / IPPROTO_SCTP */
	__u8 scope;		/* LB_SCOPE_EXTERNAL or LB_SCOPE_INTERNAL */
	__u8 family;		/* FAMILY_IPV4 / FAMILY_IPV6 */
	__u8 pad;
};

#define LB_SCOPE_EXTERNAL	0
#define LB_SCOPE_INTERNAL	1

/* Frontend kinds and options, in lb_service.flags. */
#define SVC_F_CLUSTER_IP	0x0001
#define SVC_F_NODE_PORT		0x0002
#define SVC_F_EXTERNAL_IP	0x0004
#define SVC_F_LOAD_BALANCER	0x0008
#define SVC_F_AFFINITY		0x0010	/* sessionAffinity: ClientIP */
#define SVC_F_EXT_LOCAL		0x0020	/* externalTrafficPolicy: Local */
#define SVC_F_INT_LOCAL		0x0040	/* internalTrafficPolicy: Local */
#define SVC_F_TWO_SCOPES	0x0080	/* in-cluster clients use the LB_SCOPE_INTERNAL entry */

struct lb_service {
	__u32 backend_id;	/* slots 1..count: the backend; master: 0 */
	__u32 affinity_timeout;	/* master: seconds a client keeps its backend (SVC_F_AFFINITY) */
	__u16 count;		/* master: number of backend slots; 0 = no backend, refuse */
	__u16 rev_nat_index;	/* master: key into lb_reverse_nat */
	__u16 flags;		/* master: SVC_F_* */
	__u16 pad;
};

/* Backend map: backend id -> where to connect. */
struct lb_backend {
	__u8 addr[16];
	__be16 port;
	__u8 proto;
	__u8 family;
	__u32 flags;		/* reserved (backend state) */
};

/* Reverse NAT: rev NAT index -> the frontend a backend's replies must appear to come from. */
struct lb_reverse_nat {
	__u8 addr[16];
	__be16 port;
	__u8 family;
	__u8 pad;
};

/*
 * Socket LB reverse translation (upstream's lb4_reverse_sk): socket cookie + backend the
 * socket was sent to -> the frontend the application asked for. Read by recvmsg (UDP
 * replies appear to come from the service) and getpeername.
 */
struct lb_sock_key {
	__u64 cookie;
	__u8 addr[16];
	__be16 port;
	__u8 family;
	__u8 pad[5];
};

struct lb_sock_value {
	__u8 addr[16];
	__be16 port;
	__u16 rev_nat_index;
};

/*
 * Session affinity: at the socket layer the client is its network namespace (upstream
 * does the same: the client address is not known before connect()).
 */
struct lb_affinity_key {
	__u64 client_cookie;	/* netns cookie */
	__u16 rev_nat_index;
	__u8 pad[6];
};

struct lb_affinity_value {
	__u32 backend_id;
	__u32 last_used;	/* seconds, bpf_ktime_get_ns() / 1e9 */
};

/* Which backends a service with affinity still has (upstream's lb_affinity_match). */
struct lb_affinity_match_key {
	__u32 backend_id;
	__u16 rev_nat_index;
	__u16 pad;
};
