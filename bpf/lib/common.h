/* Shared definitions of the datapath: includes, verdicts, upstream drop reasons. */
#pragma once

#include <stdbool.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/icmpv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "datapath_types.h"

/* From RFC 792; linux/icmp.h would drag in libc socket headers the BPF target lacks. */
#define ICMP_ECHOREPLY		0
#define ICMP_DEST_UNREACH	3
#define ICMP_ECHO		8
#define ICMP_TIME_EXCEEDED	11
#define ICMP_PARAMETERPROB	12

#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/*
 * Drop reasons keep upstream Cilium's numbers (bpf/lib/common.h, pkg/monitor/api/drop.go)
 * so Hubble flows and metrics read the same as upstream's. Functions return them negative,
 * events and metrics carry them positive.
 */
#define DROP_INVALID_SMAC	-130	/* source MAC is not the sending endpoint's */
#define DROP_INVALID_SIP	-132	/* source address is not the sending endpoint's */
#define DROP_POLICY		-133
#define DROP_INVALID		-134
#define DROP_CT_INVALID_HDR	-135
#define DROP_CT_UNKNOWN_PROTO	-137
#define DROP_UNKNOWN_L3		-139
#define DROP_WRITE_ERROR	-141	/* a packet rewrite failed */
#define DROP_UNKNOWN_L4		-142
#define DROP_UNKNOWN_ICMP_TYPE	-144
#define DROP_UNKNOWN_ICMP6_TYPE	-146
#define DROP_CT_CREATE_FAILED	-155	/* conntrack entry not created (endpoint's share used up) */
#define DROP_INVALID_EXTHDR	-156
#define DROP_FRAG_NOSUPPORT	-157
#define DROP_NO_SERVICE		-158	/* a frontend without a usable backend */
#define DROP_NO_CONFIG		-165
#define DROP_NAT_NO_MAPPING	-167	/* no SNAT address or port for a remote backend */
#define DROP_NO_FIB		-169	/* no route for a packet the datapath forwards itself */
#define DROP_FRAG_NOT_FOUND	-175	/* a later fragment whose first fragment was not seen */
#define DROP_POLICY_DENY	-181

/* Metrics reason for forwarded packets (upstream REASON_FORWARDED). */
#define REASON_FORWARDED	0

/* Address families as used in map keys (upstream ENDPOINT_KEY_IPV4/IPV6). */
#define FAMILY_IPV4		1
#define FAMILY_IPV6		2

/* Reserved identities with upstream's numbers. */
#define IDENTITY_UNKNOWN	0
#define IDENTITY_HOST		1
#define IDENTITY_WORLD		2
#define IDENTITY_WORLD_IPV4	9
#define IDENTITY_WORLD_IPV6	10
