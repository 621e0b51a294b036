/*
 * Service load balancing: the LB maps and the frontend -> backend choice shared by the
 * attach points that translate (bpf_sock.c today; a tc LB for traffic from outside later).
 * The agent pins the maps under its bpffs prefix and writes them one service at a time.
 */
#pragma once

#include <stdbool.h>
#include <linux/bpf.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "lb_types.h"

#ifndef FAMILY_IPV4
#define FAMILY_IPV4		1
#define FAMILY_IPV6		2
#endif

#ifndef LB_SERVICE_MAP_SIZE
#define LB_SERVICE_MAP_SIZE	65536	/* upstream's default bpf-lb-map-max */
#endif
#ifndef LB_BACKEND_MAP_SIZE
#define LB_BACKEND_MAP_SIZE	65536
#endif
#ifndef LB_REV_NAT_MAP_SIZE
#define LB_REV_NAT_MAP_SIZE	65536
#endif
#ifndef LB_SOCK_REVNAT_MAP_SIZE
#define LB_SOCK_REVNAT_MAP_SIZE	262144
#endif
#ifndef LB_AFFINITY_MAP_SIZE
#define LB_AFFINITY_MAP_SIZE	65536
#endif

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct lb_key);
	__type(value, struct lb_service);
	__uint(max_entries, LB_SERVICE_MAP_SIZE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} lb_services SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, struct lb_backend);
	__uint(max_entries, LB_BACKEND_MAP_SIZE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} lb_backends SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u16);
	__type(value, struct lb_reverse_nat);
	__uint(max_entries, LB_REV_NAT_MAP_SIZE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} lb_reverse_nat SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, struct lb_sock_key);
	__type(value, struct lb_sock_value);
	__uint(max_entries, LB_SOCK_REVNAT_MAP_SIZE);
} lb_sock_revnat SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, struct lb_affinity_key);
	__type(value, struct lb_affinity_value);
	__uint(max_entries, LB_AFFINITY_MAP_SIZE);
} lb_affinity SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct lb_affinity_match_key);
	__type(value, __u8);
	__uint(max_entries, LB_BACKEND_MAP_SIZE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} lb_affinity_mt SEC(".maps");

/*
 * The master entry for a frontend as an in-cluster client sees it: the external-scope
 * entry, unless the service keeps a separate internal backend set (one traffic policy
 * Local, the other Cluster), as upstream's two-scope lookup does.
 */
static __always_inline struct lb_service *lb_lookup_service(struct lb_key *key)
{
	struct lb_service *svc;

	key->backend_slot = 0;
	key->scope = LB_SCOPE_EXTERNAL;
	svc = bpf_map_lookup_elem(&lb_services, key);
	if (svc && (svc->flags & SVC_F_TWO_SCOPES)) {
		key->scope = LB_SCOPE_INTERNAL;
		svc = bpf_map_lookup_elem(&lb_services, key);
	}
	return svc;
}

static __always_inline __u32 lb_now_seconds(void)
{
	return (__u32)(bpf_ktime_get_ns() / 1000000000ULL);
}

/* The backend this client keeps, if affinity holds and the service still has it. */
static __always_inline __u32 lb_affinity_backend(const struct lb_service *svc, __u64 client)
{
	struct lb_affinity_key key = { .client_cookie = client, .rev_nat_index = svc->rev_nat_index };
	struct lb_affinity_match_key match = {};
	struct lb_affinity_value *val;

	val = bpf_map_lookup_elem(&lb_affinity, &key);
	if (!val)
		return 0;
	if (lb_now_seconds() - val->last_used > svc->affinity_timeout)
		return 0;
	match.backend_id = val->backend_id;
	match.rev_nat_index = svc->rev_nat_index;
	if (!bpf_map_lookup_elem(&lb_affinity_mt, &match))
		return 0;
	return val->backend_id;
}

static __always_inline void lb_affinity_remember(const struct lb_service *svc, __u64 client, __u32 backend_id)
{
	struct lb_affinity_key key = { .client_cookie = client, .rev_nat_index = svc->rev_nat_index };
	struct lb_affinity_value val = { .backend_id = backend_id, .last_used = lb_now_seconds() };

	bpf_map_update_elem(&lb_affinity, &key, &val, BPF_ANY);
}

/*
 * Chooses a backend for a new connection to svc (looked up with key): the client's
 * affinity backend if it holds, else a random slot. NULL when the slot or backend has
 * gone in between (the agent writes backends before slots and deletes them after, so
 * this is a race with a removal, not a normal case).
 */
static __always_inline struct lb_backend *lb_select_backend(struct lb_key *key, const struct lb_service *svc,
							     __u64 client, __u32 *backend_id)
{
	struct lb_service *slot;
	struct lb_backend *backend;
	__u32 id = 0;

	if (svc->flags & SVC_F_AFFINITY)
		id = lb_affinity_backend(svc, client);
	if (id) {
		backend = bpf_map_lookup_elem(&lb_backends, &id);
		if (backend)
			goto found;
	}
	key->backend_slot = (bpf_get_prandom_u32() % svc->count) + 1;
	slot = bpf_map_lookup_elem(&lb_services, key);
	if (!slot)
		return NULL;
	id = slot->backend_id;
	backend = bpf_map_lookup_elem(&lb_backends, &id);
	if (!backend)
		return NULL;
found:
	if (svc->flags & SVC_F_AFFINITY)
		lb_affinity_remember(svc, client, id);
	*backend_id = id;
	return backend;
}
