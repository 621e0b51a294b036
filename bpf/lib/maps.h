/*
 * Map definitions. Every map is pinned by the agent under one bpffs prefix and shared by
 * the node's one loaded bpf_lxc object, whose programs serve every endpoint; only the
 * policy tries are per endpoint, reached through the policy map-of-maps.
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

/*
 * One endpoint's policy: an LPM trie the agent creates per endpoint (pinned as
 * policy_<endpoint id>) and puts into the node's policy map-of-maps under the endpoint id.
 * Every endpoint runs the same programs, which find its trie there.
 */
struct policy_map {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__type(key, struct policy_key);
	__type(value, struct policy_entry);
	__uint(max_entries, POLICY_MAP_SIZE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
};

/*
 * The inner maps' template as a map of its own: it keeps struct policy_entry whole in BTF
 * (reached only through the map-of-maps' definition it would be a forward declaration,
 * which libbpf cannot size), and the agent reads the size and flags of the tries it
 * creates from it. No program uses it; the agent never creates it.
 */
struct policy_map policy_template SEC(".maps");

/*
 * Endpoint id -> that endpoint's policy trie. No entry: the endpoint's programs drop every
 * packet that would need a policy decision (fail closed, DROP_NO_CONFIG).
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__type(key, __u32);
	__uint(max_entries, POLICY_CALLS_MAP_SIZE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__array(values, struct policy_map);
} policy SEC(".maps");

/*
 * Host-side veth ifindex -> the endpoint id it belongs to: how the one shared
 * from_container / to_container program pair knows whose packet it runs for.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, POLICY_CALLS_MAP_SIZE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} lxc_ifindex SEC(".maps");

/*
 * Endpoint id -> its policy revision, bumped by the agent after every change to the
 * endpoint's policy trie or identity (a tracked connection's cached verdict holds while
 * its revision is current). 0: never written, no verdict is cached.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, POLICY_CALLS_MAP_SIZE);
} policy_revision SEC(".maps");

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
