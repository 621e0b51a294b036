#!/usr/bin/python3
"""Real packets for the connectivity matrix and suite (scripts/connectivity-*.sh).

  connectivity-probe.py serve PORT/PROTO...
      in a pod's (or the outside's) network namespace: answers on every address, TCP by
      accepting, UDP by echoing the datagram, SCTP by answering an INIT with an INIT ACK,
      ICMP is answered by the kernel. Runs until killed.
  connectivity-probe.py probe TIMEOUT_SECONDS KEY=IP:PORT/PROTO[@SOURCE-IP]...
      from the namespace it runs in (from SOURCE-IP when given, one of its addresses), one
      new connection per KEY, all at once; prints
      "KEY allowed" when the answer came back, "KEY denied" when nothing came back within the
      timeout, "KEY error: WHY" when something answered that no allowed or denied
      connection gets (a TCP reset, an ICMP unreachable: no server, not policy).
  connectivity-probe.py plan PODS.yaml OUTDIR NODES
      the pods file of `policy trace --offline` as the cluster's objects: OUTDIR/objects.yaml
      (Namespaces and Pods, pod i on node (i mod NODES)+1) and OUTDIR/plan.tsv, one line per
      member: "pod NAME NAMESPACE POD NODE" or "external NAME IP".

SCTP: the kernel here has no SCTP module (CONFIG_IP_SCTP unset), so both ends use raw IP
sockets (protocol 132) and write the common header and chunk themselves (RFC 9260 3.1, 3.3.2,
3.3.3). Without a protocol handler the kernel delivers such packets to raw sockets only and
sends no "protocol unreachable". The datapath sees ordinary SCTP packets with ports.
"""
import ipaddress
import os
import random
import socket
import struct
import sys
import threading
import time

SCTP = 132
CHUNK_INIT = 1
CHUNK_INIT_ACK = 2


def crc32c(data):
    table = crc32c.table
    if table is None:
        table = []
        for n in range(256):
            c = n
            for _ in range(8):
                c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
            table.append(c)
        crc32c.table = table
    crc = 0xFFFFFFFF
    for b in data:
        crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


crc32c.table = None


def sctp_packet(sport, dport, vtag, chunk_type, init_tag):
    # INIT and INIT ACK share the fixed part: initiate tag, a_rwnd, streams, initial TSN.
    chunk = struct.pack("!BBHIIHHI", chunk_type, 0, 20, init_tag, 65536, 1, 1, init_tag)
    header = struct.pack("!HHII", sport, dport, vtag, 0)
    checksum = crc32c(header + chunk)
    # The checksum goes out least significant byte first, as Linux's sctp_compute_cksum.
    return struct.pack("!HHI", sport, dport, vtag) + struct.pack("<I", checksum) + chunk


def parse_sctp(datagram):
    """(source address, sport, dport, vtag, chunk type, initiate tag) of a raw IPv4 packet."""
    ihl = (datagram[0] & 0x0F) * 4
    if len(datagram) < ihl + 32:
        return None
    src = socket.inet_ntoa(datagram[12:16])
    sport, dport, vtag = struct.unpack("!HHI", datagram[ihl:ihl + 8])
    chunk_type = datagram[ihl + 12]
    init_tag = struct.unpack("!I", datagram[ihl + 16:ihl + 20])[0]
    return src, sport, dport, vtag, chunk_type, init_tag


def parse_port(text):
    port, _, proto = text.partition("/")
    return int(port), (proto or "TCP").upper()


# ---------------------------------------------------------------- serve

def serve(specs):
    ports = [parse_port(s) for s in specs]
    threads = []
    sctp_ports = set()
    for port, proto in ports:
        if proto == "TCP":
            threads.append(threading.Thread(target=serve_tcp, args=(port,), daemon=True))
        elif proto == "UDP":
            threads.append(threading.Thread(target=serve_udp, args=(port,), daemon=True))
        elif proto == "SCTP":
            sctp_ports.add(port)
        elif proto != "ICMP":
            sys.exit("connectivity-probe: cannot serve %s/%s: TCP, UDP, SCTP or ICMP" % (port, proto))
    if sctp_ports:
        threads.append(threading.Thread(target=serve_sctp, args=(sctp_ports,), daemon=True))
    for t in threads:
        t.start()
    print("serving " + " ".join(specs), flush=True)
    while True:
        time.sleep(3600)


def serve_tcp(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port))
    s.listen(128)
    while True:
        conn, _ = s.accept()
        conn.close()


IP_PKTINFO = 8  # linux/in.h; Python's socket module lacks it


def serve_udp(port):
    # The answer leaves from the address the datagram was sent to (IP_PKTINFO), not from the
    # one the route back prefers: the outside namespace has several, and the prober's
    # connected socket takes answers only from the address it called.
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IP, IP_PKTINFO, 1)
    s.bind(("0.0.0.0", port))
    while True:
        data, ancdata, _, peer = s.recvmsg(2048, socket.CMSG_SPACE(12))
        replies = [(level, kind, struct.pack("=i4s4s", 0, info[8:12], b"\0" * 4))
                   for level, kind, info in ancdata if level == socket.IPPROTO_IP and kind == IP_PKTINFO]
        s.sendmsg([data], replies, 0, peer)


def serve_sctp(ports):
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, SCTP)
    while True:
        datagram = s.recv(65535)
        parsed = parse_sctp(datagram)
        if parsed is None:
            continue
        src, sport, dport, _, chunk_type, init_tag = parsed
        destination = socket.inet_ntoa(datagram[16:20])
        if chunk_type == CHUNK_INIT and dport in ports:
            # The INIT ACK carries the INIT's initiate tag as its verification tag.
            # From the address the INIT was sent to (see serve_udp).
            reply = socket.socket(socket.AF_INET, socket.SOCK_RAW, SCTP)
            reply.bind((destination, 0))
            reply.sendto(sctp_packet(dport, sport, init_tag, CHUNK_INIT_ACK, random.getrandbits(32) | 1), (src, 0))
            reply.close()


# ---------------------------------------------------------------- probe

def bound(kind, proto, source):
    s = socket.socket(socket.AF_INET, kind, proto)
    if source:
        s.bind((source, 0))
    return s


def probe_tcp(ip, port, timeout, source):
    s = bound(socket.SOCK_STREAM, 0, source)
    s.settimeout(timeout)
    try:
        s.connect((ip, port))
        return "allowed"
    except socket.timeout:
        return "denied"
    except OSError as e:
        return "error: " + (e.strerror or str(e))
    finally:
        s.close()


def probe_udp(ip, port, timeout, source):
    s = bound(socket.SOCK_DGRAM, 0, source)
    s.connect((ip, port))
    nonce = os.urandom(8)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            s.send(nonce)
            s.settimeout(min(0.5, max(0.01, deadline - time.monotonic())))
            try:
                if s.recv(2048) == nonce:
                    return "allowed"
            except socket.timeout:
                continue
        return "denied"
    except OSError as e:
        return "error: " + (e.strerror or str(e))
    finally:
        s.close()


def probe_sctp(ip, port, timeout, source):
    s = bound(socket.SOCK_RAW, SCTP, source)
    sport = random.randint(20000, 60000)
    tag = random.getrandbits(32) | 1
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            s.sendto(sctp_packet(sport, port, 0, CHUNK_INIT, tag), (ip, 0))
            resend = min(deadline, time.monotonic() + 0.5)
            while time.monotonic() < resend:
                s.settimeout(max(0.01, resend - time.monotonic()))
                try:
                    parsed = parse_sctp(s.recv(65535))
                except socket.timeout:
                    break
                if parsed and parsed[:4] == (ip, port, sport, tag) and parsed[4] == CHUNK_INIT_ACK:
                    return "allowed"
        return "denied"
    finally:
        s.close()


def icmp_checksum(data):
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return ~total & 0xFFFF


def probe_icmp(ip, icmp_type, timeout, source):
    if icmp_type != 8:
        return "error: only 8/ICMP (echo request) can be probed"
    s = bound(socket.SOCK_RAW, socket.IPPROTO_ICMP, source)
    ident = random.getrandbits(16)
    deadline = time.monotonic() + timeout
    try:
        seq = 0
        while time.monotonic() < deadline:
            seq += 1
            body = struct.pack("!BBHHH", 8, 0, 0, ident, seq) + b"jcilium!"
            s.sendto(body[:2] + struct.pack("!H", icmp_checksum(body)) + body[4:], (ip, 0))
            resend = min(deadline, time.monotonic() + 0.5)
            while time.monotonic() < resend:
                s.settimeout(max(0.01, resend - time.monotonic()))
                try:
                    packet, peer = s.recvfrom(65535)
                except socket.timeout:
                    break
                ihl = (packet[0] & 0x0F) * 4
                reply = packet[ihl:ihl + 8]
                if peer[0] == ip and len(reply) == 8 and reply[0] == 0 and struct.unpack("!H", reply[4:6])[0] == ident:
                    return "allowed"
        return "denied"
    finally:
        s.close()


PROBES = {"TCP": probe_tcp, "UDP": probe_udp, "SCTP": probe_sctp, "ICMP": probe_icmp}


def probe(timeout, targets):
    results = {}

    def run(key, ip, port, proto, source):
        fn = PROBES.get(proto)
        try:
            results[key] = fn(ip, port, timeout, source) if fn else "error: cannot probe protocol " + proto
        except OSError as e:
            results[key] = "error: " + (e.strerror or str(e))

    threads = []
    for target in targets:
        key, _, where = target.partition("=")
        ip, _, port_proto = where.partition(":")
        port_proto, _, source = port_proto.partition("@")
        port, proto = parse_port(port_proto)
        threads.append(threading.Thread(target=run, args=(key, ip, port, proto, source)))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for target in targets:
        key = target.partition("=")[0]
        print(key, results[key])


# ---------------------------------------------------------------- plan

def plan(pods_file, outdir, nodes):
    import yaml  # Debian's python3-yaml: only the plan needs it

    with open(pods_file) as f:
        spec = yaml.safe_load(f) or {}
    fail = lambda why: sys.exit("%s: %s" % (pods_file, why))  # noqa: E731
    if str(spec.get("mode", "default")) != "default":
        fail("mode '%s': the cluster's agents enforce in mode default; trace with mode default" % spec["mode"])
    if str(spec.get("clusterName", "default")) != "default":
        fail("clusterName '%s': the simulated cluster is named default" % spec["clusterName"])
    namespaces = {}
    for ns in spec.get("namespaces") or []:
        namespaces[ns["name"]] = ns.get("labels") or {}
    docs = []
    lines = []
    for i, pod in enumerate(spec.get("pods") or []):
        namespaces.setdefault(pod["namespace"], {})
        node = i % nodes + 1
        container = {"name": "main", "image": "busybox"}
        ports = [{"name": p["name"], "containerPort": p["port"], "protocol": str(p.get("protocol", "TCP")).upper()}
                 for p in pod.get("ports") or []]
        if ports:
            container["ports"] = ports
        pod_spec = {"nodeName": "node-%d" % node, "containers": [container]}
        if pod.get("serviceAccount"):
            pod_spec["serviceAccountName"] = str(pod["serviceAccount"])
        docs.append({"apiVersion": "v1", "kind": "Pod",
                     "metadata": {"name": pod["name"], "namespace": pod["namespace"],
                                  "labels": {str(k): str(v) for k, v in (pod.get("labels") or {}).items()}},
                     "spec": pod_spec})
        lines.append("pod %s/%s %s %s %d" % (pod["namespace"], pod["name"], pod["namespace"], pod["name"], node))
    for ext in spec.get("externals") or []:
        if "entity" in ext:
            fail("external '%s' is the entity %s: only externals with an ip can be probed live (from the outside "
                 "namespace); leave it out" % (ext["name"], ext["entity"]))
        address = ipaddress.ip_address(str(ext["ip"]))
        if address.version != 4:
            fail("external '%s' (%s): the simulated cluster's outside is IPv4 only" % (ext["name"], address))
        for inside in ("10.244.0.0/16", "172.29.0.0/24"):
            if address in ipaddress.ip_network(inside):
                fail("external '%s' (%s) lies in the cluster's %s: an outside peer needs an outside address"
                     % (ext["name"], address, inside))
        lines.append("external %s %s" % (ext["name"], address))
    ns_docs = [{"apiVersion": "v1", "kind": "Namespace",
                "metadata": {"name": name, "labels": {str(k): str(v) for k, v in labels.items()}}}
               for name, labels in namespaces.items()]
    with open(os.path.join(outdir, "objects.yaml"), "w") as f:
        yaml.safe_dump_all(ns_docs + docs, f, sort_keys=False)
    with open(os.path.join(outdir, "plan.tsv"), "w") as f:
        f.write("\n".join(lines) + "\n")


def main(argv):
    if len(argv) >= 2 and argv[1] == "serve":
        serve(argv[2:])
    elif len(argv) >= 3 and argv[1] == "probe":
        probe(float(argv[2]), argv[3:])
    elif len(argv) == 5 and argv[1] == "plan":
        plan(argv[2], argv[3], int(argv[4]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
