"""Real sockets for MasqueradeIT: a server outside the cluster that tells each client the
address it sees, and clients in pods with a fixed source port.

  server HOST TCP_PORT UDP_PORT LOG   serve until killed; every UDP sender is logged to LOG
  tcp HOST PORT SPORT                 connect from SPORT, print "peer ADDR PORT" as the server
                                      saw it, then send each stdin line and print its echo
  udp HOST PORT SPORT [WAIT]          one datagram from SPORT: print the server's answer,
                                      or "timeout" after WAIT seconds (default 20)
  ping HOST ID [WAIT]                 one ICMP echo request with identifier ID (raw socket):
                                      print "reply ID" for the echo reply carrying it, or
                                      "timeout"
  refused udp|tcp HOST PORT SPORT WAIT
                                      a connected UDP datagram or a TCP connect from SPORT to a
                                      port the host refuses: print "refused" (ECONNREFUSED, as
                                      when the ICMP error reached the socket) or "timeout",
                                      then the ICMP error as captured on eth0: "icmp SRC -> DST
                                      quote QSRC:QSPORT -> QDST:QDPORT" and every checksum
                                      (outer IP, ICMP, quoted IP, quoted L4 when quoted whole)
                                      as ok or bad
"""
import select
import socket
import struct
import sys
import threading
import time

TIMEOUT_SECONDS = 20


def serve_tcp(conn, peer):
    with conn:
        conn.sendall(("peer %s %d\n" % peer).encode())
        reader = conn.makefile("rb")
        for line in reader:
            conn.sendall(b"echo " + line)


def server(host, tcp_port, udp_port, log):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, tcp_port))
    listener.listen(64)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind((host, udp_port))

    def udp_loop():
        while True:
            _, peer = udp.recvfrom(2048)
            with open(log, "a") as out:
                out.write("%s %d\n" % peer)
            try:
                udp.sendto(("peer %s %d\n" % peer).encode(), peer)
            except OSError:
                pass  # a pod address the outside has no route to

    threading.Thread(target=udp_loop, daemon=True).start()
    print("ready", flush=True)
    while True:
        conn, peer = listener.accept()
        threading.Thread(target=serve_tcp, args=(conn, peer), daemon=True).start()


def bound(kind, sport):
    s = socket.socket(socket.AF_INET, kind)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.settimeout(TIMEOUT_SECONDS)
    s.bind(("0.0.0.0", sport))
    return s


def tcp(host, port, sport):
    s = bound(socket.SOCK_STREAM, sport)
    s.connect((host, port))
    reader = s.makefile("rb")
    print(reader.readline().decode().strip(), flush=True)
    for line in sys.stdin:
        s.sendall(line.encode())
        print(reader.readline().decode().strip(), flush=True)


def udp(host, port, sport, wait):
    s = bound(socket.SOCK_DGRAM, sport)
    s.settimeout(wait)
    s.sendto(b"hi", (host, port))
    try:
        print(s.recv(2048).decode().strip(), flush=True)
    except socket.timeout:
        print("timeout", flush=True)


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ping(host, ident, wait):
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    payload = b"masquerade-ping"
    header = struct.pack("!BBHHH", 8, 0, 0, ident, 1)
    header = struct.pack("!BBHHH", 8, 0, checksum(header + payload), ident, 1)
    s.sendto(header + payload, (host, 0))
    deadline = time.time() + wait
    while time.time() < deadline:
        ready, _, _ = select.select([s], [], [], max(0, deadline - time.time()))
        if not ready:
            break
        packet, peer = s.recvfrom(2048)
        ihl = (packet[0] & 0x0F) * 4
        kind, _, _, got, _ = struct.unpack("!BBHHH", packet[ihl:ihl + 8])
        if kind == 0 and peer[0] == host and got == ident and checksum(packet[ihl:]) == 0:
            print("reply %d" % got, flush=True)
            return
    print("timeout", flush=True)


def describe_icmp_error(frame):
    ip = frame[14:]
    ihl = (ip[0] & 0x0F) * 4
    ip = ip[:struct.unpack("!H", ip[2:4])[0]]
    icmp = ip[ihl:]
    inner = icmp[8:]
    iihl = (inner[0] & 0x0F) * 4
    proto = inner[9]
    l4 = inner[iihl:]
    sport, dport = struct.unpack("!HH", l4[:4])
    inner_total = struct.unpack("!H", inner[2:4])[0]
    if len(inner) >= inner_total:
        whole = inner[iihl:inner_total]
        pseudo = inner[12:20] + struct.pack("!BBH", 0, proto, len(whole))
        l4_ok = "ok" if (proto == 17 and whole[6:8] == b"\0\0") or checksum(pseudo + whole) == 0 else "bad"
    else:
        l4_ok = "cut"
    ok = lambda good: "ok" if good else "bad"
    return "icmp %s -> %s quote %s:%d -> %s:%d ip %s icmp %s quoted-ip %s quoted-l4 %s" % (
        socket.inet_ntoa(ip[12:16]), socket.inet_ntoa(ip[16:20]), socket.inet_ntoa(inner[12:16]), sport,
        socket.inet_ntoa(inner[16:20]), dport, ok(checksum(ip[:ihl]) == 0), ok(checksum(icmp) == 0),
        ok(checksum(inner[:iihl]) == 0), l4_ok)


def refused(kind, host, port, sport, wait):
    capture = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
    capture.bind(("eth0", 0))
    s = bound(socket.SOCK_DGRAM if kind == "udp" else socket.SOCK_STREAM, sport)
    s.settimeout(wait)
    try:
        s.connect((host, port))
        if kind == "udp":
            s.send(b"anyone?")
            s.recv(2048)
        print("answered", flush=True)
    except ConnectionRefusedError:
        print("refused", flush=True)
    except socket.timeout:
        print("timeout", flush=True)
    capture.setblocking(False)
    while True:
        try:
            frame = capture.recv(65535)
        except BlockingIOError:
            break
        if len(frame) > 34 and frame[14 + 9] == 1 and frame[14 + (frame[14] & 0x0F) * 4] == 3:
            print(describe_icmp_error(frame), flush=True)
            return
    print("no icmp error captured", flush=True)


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "server":
        server(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
    elif mode == "tcp":
        tcp(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif mode == "ping":
        ping(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]) if len(sys.argv) > 4 else TIMEOUT_SECONDS)
    elif mode == "refused":
        refused(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6]))
    else:
        wait = float(sys.argv[5]) if len(sys.argv) > 5 else TIMEOUT_SECONDS
        udp(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), wait)
