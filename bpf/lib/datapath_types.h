/*
 * Every struct that crosses between the kernel and the agent: map keys and values,
 * the event header of the ring buffer and the per-endpoint configuration.
 *
 * Mirrored field for field by io.jcilium.agent.datapath.maps.DatapathStructs; a test
 * compares both layouts through the compiled object's BTF, so change both together.
 * Fields are ordered so no implicit padding exists (explicit pad fields instead):
 * map keys are compared byte for byte by the kernel, stray padding would break lookups.
 */
#pragma once

#include <linux/types.h>

/* ipcache: LPM trie, IP/prefix -> security identity (+ tunnel endpoint for remote nodes). */
struct ipcache_key {
	__u32 prefixlen;	/* 32 (cluster_id, pad, family) + address prefix length */
	__u16 cluster_id;
	__u8 pad;
	__u8 family;		/* FAMILY_IPV4 / FAMILY_IPV6 */
	__u8 addr[16];		/* IPv4 in the first 4 bytes, network order */
};

struct remote_endpoint_info {
	__u32 identity;
	__be32 tunnel_endpoint;	/* IPv4 of the node hosting the address; 0 = this node */
	__u8 encrypt_key;
	__u8 flags;
	__u16 pad;
};

/* endpoints: local pod IP -> where and who the endpoint is. */
struct endpoint_key {
	__u8 addr[16];
	__u8 family;
	__u8 key;
	__u16 cluster_id;
};

struct endpoint_info {
	__u32 ifindex;		/* host-side veth */
	__u16 unused;
	__u16 endpoint_id;
	__u32 flags;
	__u8 mac[6];		/* pod's MAC */
	__u8 node_mac[6];	/* host-side veth MAC */
	__u32 identity;
};

/*
 * Per-endpoint policy: LPM trie. identity and direction are always matched in full
 * (POLICY_STATIC_PREFIX bits); protocol may be wildcarded (prefix ends after direction)
 * and the port matched by a prefix, which is how a port range becomes a few entries.
 * identity 0 means "any identity" (upstream's L4-only entries).
 */
struct policy_key {
	__u32 prefixlen;
	__u32 identity;
	__u8 egress;		/* 0 ingress (to-container), 1 egress (from-container) */
	__u8 protocol;		/* IPPROTO_*; 0 with prefix ending before it = any */
	__be16 dport;		/* ICMP/ICMPv6: the type in the high byte */
};

#define POLICY_STATIC_PREFIX	40	/* identity + egress */
#define POLICY_PROTO_PREFIX	48	/* + protocol */
#define POLICY_FULL_PREFIX	64	/* + port */

#define POLICY_F_DENY		1

struct policy_entry {
	__be16 proxy_port;	/* reserved for L7 redirects */
	__u8 flags;		/* POLICY_F_* */
	__u8 prefix_len;	/* the key's prefixlen, to report what kind of rule matched */
	__u32 pad;
	__u64 packets;
	__u64 bytes;
};

/*
 * Conntrack: LRU hash keyed by the tuple of the packet that opened the connection, the
 * direction it was seen in (CT_EGRESS from the endpoint, CT_INGRESS to it) and the
 * endpoint whose program saw it. A packet is a reply only of an entry its own endpoint's
 * program created when that endpoint's policy allowed the opening packet: an entry one pod
 * gets written (by a forged packet out of its own interface, say) never makes another
 * pod's traffic a reply. The egress side of one endpoint and the ingress side of its peer
 * keep separate entries.
 */
struct ct_key {
	__u8 daddr[16];
	__u8 saddr[16];
	__be16 dport;
	__be16 sport;
	__u8 nexthdr;
	__u8 dir;		/* CT_EGRESS / CT_INGRESS */
	__u8 family;
	__u8 pad;
	__u16 endpoint_id;	/* the endpoint whose program created the entry */
	__u16 pad2;
};

#define CT_EGRESS		0
#define CT_INGRESS		1

#define CT_F_TX_CLOSING		1
#define CT_F_RX_CLOSING		2
#define CT_F_SEEN_NON_SYN	4

struct ct_entry {
	__u64 packets;		/* original direction */
	__u64 bytes;
	__u64 rx_packets;	/* reply direction */
	__u64 rx_bytes;
	__u32 expires_sec;	/* bpf_ktime_get_ns() seconds (CLOCK_MONOTONIC) after which it is dead */
	__u32 src_identity;	/* identity of the connection's originator */
	__u16 flags;		/* CT_F_* */
	__u8 tx_flags_seen;	/* CT_REPORT_FLAGS seen in the original direction (traced once each) */
	__u8 rx_flags_seen;	/* ... and in the reply direction */
	__u32 policy_rev;	/* policy revision the forward direction was last allowed at */
	/*
	 * The policy entry that admitted the connection at policy_rev, its prefixlen that
	 * entry's length (0: none): every later packet, both ways, is charged to it.
	 */
	struct policy_key policy_hit;
};

/*
 * Per-endpoint conntrack accounting, so one pod cannot take the table from the others:
 * two hashes keyed by endpoint id (__u32) with this value. ct_created counts the entries an
 * endpoint's program inserted (written by the datapath only); ct_released counts those gone
 * since, expired or evicted (written by the agent's conntrack sweep only, as created minus
 * what it still finds). created - released is what the endpoint holds; at CT_ENDPOINT_MAX
 * its new connections are refused (DROP_CT_CREATE_FAILED) instead of evicting others'.
 */
struct ct_counter {
	__u32 entries;
};

/*
 * IP fragments (upstream's fragment maps): the first fragment of a datagram records its L4
 * ports under (source, destination, IP id, protocol, family), so the later fragments, which
 * carry no L4 header, get conntrack and policy as the first one did. LRU hash.
 */
struct frag_key {
	__u8 saddr[16];
	__u8 daddr[16];
	__be32 id;		/* IPv4: the 16-bit identification in the first two bytes; IPv6: the fragment header's */
	__u8 protocol;
	__u8 family;
	__u16 pad;
};

struct frag_l4 {
	__be16 sport;
	__be16 dport;
	__be16 policy_port;
	__u8 icmp_type;
	__u8 pad;
};

/* metrics: per-CPU counters by reason and direction (upstream metrics_key/value). */
struct metrics_key {
	__u8 reason;		/* 0 forwarded, else the drop reason as positive number */
	__u8 dir;		/* METRIC_INGRESS / METRIC_EGRESS */
	__u16 reserved[3];
};

#define METRIC_INGRESS		1
#define METRIC_EGRESS		2

struct metrics_value {
	__u64 count;
	__u64 bytes;
};

/*
 * events: every record in the ring buffer starts with this header, whatever its type;
 * type and obs_point numbers are upstream's (CILIUM_NOTIFY_*, TRACE_*).
 */
#define EVENT_PAYLOAD_LEN	128

struct event_hdr {
	__u8 type;		/* EVENT_DROP / EVENT_TRACE / EVENT_POLICY_VERDICT */
	__u8 subtype;		/* drop: reason; trace: obs point */
	__u16 source;		/* endpoint id */
	__u32 hash;
	__u32 len_orig;		/* packet length */
	__u16 len_cap;		/* bytes of the packet in data[] */
	__u16 version;
	__u32 src_identity;
	__u32 dst_identity;
	__u16 dst_endpoint_id;
	__u8 obs_point;		/* TRACE_FROM_LXC / TRACE_TO_LXC */
	__u8 flags;		/* EVENT_F_* */
	__u32 ifindex;
	__u8 reason;		/* drop: reason; trace/verdict: conntrack state (CT_NEW, ...) */
	__u8 match_type;	/* policy verdict: POLICY_MATCH_* */
	__u8 protocol;
	__u8 pad;
	__be16 dport;
	__u16 pad2;
	__u64 ktime_ns;
	__u8 data[EVENT_PAYLOAD_LEN];
};

#define EVENT_VERSION		1

#define EVENT_DROP		1	/* CILIUM_NOTIFY_DROP */
#define EVENT_TRACE		4	/* CILIUM_NOTIFY_TRACE */
#define EVENT_POLICY_VERDICT	5	/* CILIUM_NOTIFY_POLICY_VERDICT */

#define EVENT_F_EGRESS		1
#define EVENT_F_IPV6		2
#define EVENT_F_ALLOWED		4

/* What a policy verdict matched (upstream POLICY_MATCH_*). */
#define POLICY_MATCH_NONE	0
#define POLICY_MATCH_L3_ONLY	1
#define POLICY_MATCH_L3_L4	2
#define POLICY_MATCH_L4_ONLY	3
#define POLICY_MATCH_ALL	4
#define POLICY_MATCH_L3_PROTO	5
#define POLICY_MATCH_PROTO_ONLY	6

#define TRACE_TO_LXC		0
#define TRACE_FROM_LXC		5

/*
 * Per-endpoint configuration: the value of the endpoint_config map (key: endpoint id),
 * written by the agent before the endpoint's programs are attached and rewritten in place
 * when the endpoint's identity or settings change. identity is upstream's init identity (5)
 * until the endpoint's own identity and policy are known.
 */
#define LXC_F_TRACE_ALL		1	/* a trace event for every forwarded packet, not only new flows */
#define LXC_F_LEGACY_ROUTING	2	/* never hand packets to a local peer directly: the stack routes them */

struct lxc_config {
	__u32 endpoint_id;
	__u32 identity;
	__u32 ifindex;
	__u32 flags;		/* LXC_F_* */
};
