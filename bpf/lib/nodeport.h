/*
 * Load balancing of traffic that enters the node from outside (upstream's nodeport.h):
 * NodePort, LoadBalancer and ExternalIP frontends reached through a node device are
 * translated per packet, unlike in-cluster traffic (bpf_sock.c translates at connect()).
 *
 * Every connection is tracked in two LRU tables, both mapping a tuple as it is seen on
 * the wire to the tuple it must be rewritten to:
 *   lb_nat_fwd  client -> frontend      =>  (client or node:port) -> backend
 *   lb_nat_rev  backend -> (client or node:port)  =>  frontend -> client
 * A connection keeps the backend it was given while it lives, whatever happens to the
 * service's backends afterwards. When the backend is not a local endpoint (another node's
 * pod, externalTrafficPolicy Cluster) the source is also rewritten to this node's address
 * on the device (SNAT), so the backend's replies come back here to be translated.
 * IPv4 only for now: IPv6 packets pass untouched.
 */
#pragma once

#include "common.h"
#include "parse.h"
#include "endpoints.h"
#include "lb.h"

#ifndef LB_NAT_MAP_SIZE
#define LB_NAT_MAP_SIZE		262144
#endif
#ifndef LB_MAGLEV_MAP_SIZE
#define LB_MAGLEV_MAP_SIZE	65536
#endif
#ifndef LB_HOST_DEVICES
#define LB_HOST_DEVICES		64
#endif

/* Upstream's NodePort SNAT port range (--node-port-range is for frontends, not this). */
#define LB_SNAT_PORT_MIN	32768
#define LB_SNAT_PORT_COUNT	28232
#define LB_SNAT_TRIES		8

/* Fixed so every node hashes a tuple the same way: Maglev's "same backend everywhere". */
#define LB_MAGLEV_SEED		0x6a63696cU

/*
 * Maglev lookup table size M (a prime), set by the agent at load; 0 selects backends
 * at random. A .rodata constant, so the verifier knows it and bounds the index.
 */
const volatile __u32 LB_MAGLEV_M = 0;

struct lb_nat_tuple {
	__u8 saddr[16];
	__u8 daddr[16];
	__be16 sport;
	__be16 dport;
	__u8 proto;
	__u8 family;
	__u8 pad[2];
};

struct lb_nat_entry {
	__u8 to_saddr[16];
	__u8 to_daddr[16];
	__be16 to_sport;
	__be16 to_dport;
	__u32 backend_id;	/* forward entries: the backend chosen */
	__u32 flags;		/* LB_NAT_F_* */
};

/*
 * The translated packet is routed by us (FIB lookup, neighbour, redirect) instead of the
 * stack: with SNAT its source, or its destination, is this node's own address, which the
 * stack's input routing would drop as a martian.
 */
#define LB_NAT_F_REDIRECT	0x1

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, struct lb_nat_tuple);
	__type(value, struct lb_nat_entry);
	__uint(max_entries, LB_NAT_MAP_SIZE);
} lb_nat_fwd SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, struct lb_nat_tuple);
	__type(value, struct lb_nat_entry);
	__uint(max_entries, LB_NAT_MAP_SIZE);
} lb_nat_rev SEC(".maps");

/*
 * rev NAT index of a frontend -> its Maglev table: M backend ids (the value size is set
 * to 4 * M at load, so sizes rather than BTF types: a BTF value type would no longer
 * match). The agent computes tables from backend addresses only, so every node has the
 * same one whatever ids it gave the backends.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
	__uint(max_entries, LB_MAGLEV_MAP_SIZE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} lb_maglev SEC(".maps");

/* ifindex of a node device -> this node's IPv4 address on it (network order): the SNAT source. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __be32);
	__uint(max_entries, LB_HOST_DEVICES);
} lb_host_addrs SEC(".maps");

static __always_inline void nat_tuple_of(struct lb_nat_tuple *t, const struct flow *f)
{
	__builtin_memcpy(t->saddr, f->saddr, 16);
	__builtin_memcpy(t->daddr, f->daddr, 16);
	t->sport = f->sport;
	t->dport = f->dport;
	t->proto = f->protocol;
	t->family = f->family;
}

static __always_inline __u32 rol32(__u32 word, unsigned int shift)
{
	return (word << shift) | (word >> ((-shift) & 31));
}

/* Bob Jenkins' final mix of three words (lookup3.c), as upstream's jhash_3words. */
static __always_inline __u32 lb_hash_tuple(const struct flow *f)
{
	__u32 a, b, c;

	__builtin_memcpy(&a, f->saddr, 4);
	__builtin_memcpy(&b, f->daddr, 4);
	c = ((__u32)f->sport << 16 | f->dport) ^ f->protocol;
	a += LB_MAGLEV_SEED;
	b += LB_MAGLEV_SEED;
	c += LB_MAGLEV_SEED;
	c ^= b; c -= rol32(b, 14);
	a ^= c; a -= rol32(c, 11);
	b ^= a; b -= rol32(a, 25);
	c ^= b; c -= rol32(b, 16);
	a ^= c; a -= rol32(c, 4);
	b ^= a; b -= rol32(a, 14);
	c ^= b; c -= rol32(b, 24);
	return c;
}

/* The backend id the service's Maglev table gives this tuple, 0 if it has no table. */
static __always_inline __u32 lb_maglev_backend(const struct lb_service *svc, const struct flow *f)
{
	__u32 index = svc->rev_nat_index;
	__u32 *table, slot;

	if (LB_MAGLEV_M == 0)
		return 0;
	table = bpf_map_lookup_elem(&lb_maglev, &index);
	if (!table)
		return 0;
	slot = lb_hash_tuple(f) % LB_MAGLEV_M;
	/* keep the compiler from folding the bound check the verifier needs */
	asm volatile("" : "+r"(slot));
	if (slot >= LB_MAGLEV_M)
		return 0;
	return table[slot];
}

/*
 * The affinity client of a connection from outside: its IPv4 address, with the top bit
 * set so it never equals a network namespace cookie (socket LB's clients).
 */
static __always_inline __u64 lb_outside_client(const struct flow *f)
{
	__u32 addr;

	__builtin_memcpy(&addr, f->saddr, 4);
	return (1ULL << 63) | addr;
}

/*
 * The backend for a new connection from outside: with sessionAffinity the client
 * address's backend while it holds, else Maglev when configured, else a random slot.
 */
static __always_inline struct lb_backend *lb_nodeport_backend(struct lb_key *key, const struct lb_service *svc,
							      const struct flow *f, __u32 *backend_id)
{
	struct lb_service *slot;
	struct lb_backend *backend;
	__u32 id = 0;

	if (svc->flags & SVC_F_AFFINITY)
		id = lb_affinity_backend(svc, lb_outside_client(f));
	if (!id)
		id = lb_maglev_backend(svc, f);
	if (!id) {
		key->backend_slot = (bpf_get_prandom_u32() % svc->count) + 1;
		slot = bpf_map_lookup_elem(&lb_services, key);
		if (!slot)
			return NULL;
		id = slot->backend_id;
	}
	backend = bpf_map_lookup_elem(&lb_backends, &id);
	if (backend && (svc->flags & SVC_F_AFFINITY))
		lb_affinity_remember(svc, lb_outside_client(f), id);
	*backend_id = id;
	return backend;
}
