/*
 * L2 announcements: the service addresses this node answers ARP and NDP for, per device.
 * The agent writes an entry for each (address, device) of a service whose Lease this node
 * holds, and removes it when the Lease is lost; the responder answers only while the entry
 * exists. Mirrored by io.jcilium.agent.l2announce.L2ResponderStructs.
 */
#pragma once

#include "common.h"

struct l2_responder_v4_key {
	__u32 ip4;		/* network byte order */
	__u32 ifindex;
};

struct l2_responder_v6_key {
	__u8 ip6[16];
	__u32 ifindex;
	__u32 pad;
};

struct l2_responder_entry {
	__u8 mac[6];		/* the device's MAC, the answer's hardware address */
	__u8 pad[2];
	__u64 responses_sent;
};

#define L2_RESPONDER_MAX_ENTRIES 4096

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, L2_RESPONDER_MAX_ENTRIES);
	__type(key, struct l2_responder_v4_key);
	__type(value, struct l2_responder_entry);
} l2_responder_v4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, L2_RESPONDER_MAX_ENTRIES);
	__type(key, struct l2_responder_v6_key);
	__type(value, struct l2_responder_entry);
} l2_responder_v6 SEC(".maps");
