#!/usr/bin/env python3
"""Sends one VXLAN-encapsulated TCP SYN, as a node's overlay would (scripts/cluster-e2e.sh).

    vxlan-probe.py PEER VNI INNER_SRC INNER_DST DPORT SPORT [UDP_PORT]

PEER is the receiving node's underlay address; VNI the identity the packet claims; the inner
packet goes INNER_SRC:SPORT -> INNER_DST:DPORT. The outer source is whatever this network
namespace routes from, so run it in a node's namespace to speak as that node, or in another
to speak as a stranger. Plain sockets, no packet library needed.
"""
import socket
import struct
import sys


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def syn(src, dst, sport, dport):
    saddr, daddr = socket.inet_aton(src), socket.inet_aton(dst)
    tcp = struct.pack("!HHIIBBHHH", sport, dport, 1, 0, 5 << 4, 0x02, 64240, 0, 0)
    pseudo = saddr + daddr + struct.pack("!BBH", 0, socket.IPPROTO_TCP, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", checksum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0x4000, 64, socket.IPPROTO_TCP, 0, saddr, daddr)
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return ip + tcp


def main(argv):
    if len(argv) not in (7, 8):
        sys.exit(__doc__)
    peer, vni, src, dst, dport, sport = argv[1], int(argv[2]), argv[3], argv[4], int(argv[5]), int(argv[6])
    udp_port = int(argv[7]) if len(argv) == 8 else 8472
    # VXLAN header (RFC 7348 section 5): flags with the I bit, 24-bit VNI.
    vxlan = struct.pack("!B3xI", 0x08, vni << 8)
    ethernet = bytes.fromhex("02aabbccdd01") + bytes.fromhex("02aabbccdd02") + struct.pack("!H", 0x0800)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.sendto(vxlan + ethernet + syn(src, dst, sport, dport), (peer, udp_port))


if __name__ == "__main__":
    main(sys.argv)
