/*
 * Map definitions. Shared maps (ipcache, endpoints, endpoint_config, conntrack, metrics, events,
 * events_lost) are pinned
 * by the agent under one bpffs prefix and reused by every endpoint's program; the policy
 * map is per endpoint (the loader pins it under a per-endpoint name).
 */
#pragma once

#include "common.h"

#ifndef IPCACHE_MAP_SIZE
#define IPCACHE_MAP_SIZE	512000
#endif
#ifndef ENDPOINTS_MAP_SIZE
#define ENDPOINTS_MAP_SIZE	65535
#endif
#ifndef POLICY_MAP_SIZE
#define POLICY_MAP_SIZE		16384
#endif
#ifndef CT_MAP_SIZE
#define CT_MAP_SIZE		262144
#endif
#ifndef CT_ENDPOINT_MAX
#define CT_ENDPOINT_MAX		(CT_MAP_SIZE / 4)	/* one endpoint's share of the conntrack table */
#endif
#ifndef FRAG_MAP_SIZE
#define FRAG_MAP_SIZE		8192	/* datagrams in reassembly at once (upstream's default) */
#endif
#ifndef POLICY_CALLS_MAP_SIZE
#define POLICY_CALLS_MAP_SIZE	65536	/* endpoint ids are 16 bits */
#endif
#ifndef EVENTS_RING_BYTES
#define EVENTS_RING_BYTES	(1 << 22)
#endif

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__type(key, struct ipcache_key);
	__type(value, struct remote_endpoint_info);
	__uint(max_entries, IPCACHE_MAP_SIZE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} ipcache SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct endpoint_key);
	__type(value, struct endpoint_info);
	__uint(max_entries, ENDPOINTS_MAP_SIZE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} endpoints SEC(".maps");

/*
 * Endpoint id -> that endpoint's settings (identity, host-side ifindex, flags), read by its
 * programs at the start of every run. Switching an endpoint from the init identity to its
 * own is one write here, not a second program load. No preallocation: an update then puts
 * a new element in place and frees the old one only after an RCU grace period, so a program
 * that looked up the old one reads it whole (preallocated elements are reused at once).
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, struct lxc_config);
	__uint(max_entries, POLICY_CALLS_MAP_SIZE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} endpoint_config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__type(key, struct policy_key);
	__type(value, struct policy_entry);
	__uint(max_entries, POLICY_MAP_SIZE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} policy SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, struct ct_key);
	__type(value, struct ct_entry);
	__uint(max_entries, CT_MAP_SIZE);
} ct SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, struct frag_key);
	__type(value, struct frag_l4);
	__uint(max_entries, FRAG_MAP_SIZE);
} frag_ports SEC(".maps");

/* Conntrack entries per endpoint: see struct ct_counter. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, struct ct_counter);
	__uint(max_entries, POLICY_CALLS_MAP_SIZE);
} ct_created SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, struct ct_counter);
	__uint(max_entries, POLICY_CALLS_MAP_SIZE);
} ct_released SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__type(key, struct metrics_key);
	__type(value, struct metrics_value);
	__uint(max_entries, 1024);
} metrics SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, EVENTS_RING_BYTES);
} events SEC(".maps");

/*
 * Events the ring buffer had no room for (the reader was behind), counted per CPU at key 0:
 * a BPF ring buffer, unlike upstream's perf ring, reports no losses to its reader, so the
 * agent reads this and tells Hubble's clients how many they missed.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 1);
} events_lost SEC(".maps");

/*
 * Endpoint id -> that endpoint's lxc_policy program (upstream's policy call map). A pod
 * sending to another pod on this node tail-calls the destination's program, which applies
 * the destination's ingress policy with its own maps and hands the packet straight to the
 * destination pod, without a trip through the node's routing stack.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
	__uint(max_entries, POLICY_CALLS_MAP_SIZE);
} policy_calls SEC(".maps");
