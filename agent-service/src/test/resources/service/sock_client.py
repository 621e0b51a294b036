"""Test client of the socket LB ITs: connects the way applications do and prints, one
line per attempt, which backend answered and what the socket says its peer is:
  ok <backend> <peer address> <peer port>     or     err <ERRNO NAME>
Modes: tcp|udp|udpc|udperr <host> <port> <count> (udpc: connected UDP; udperr: connected UDP
that also says who sent the ICMP error, "err <ERRNO NAME> <sender>"); latency <host> <port> <count> (connect() p50/p99 in us); hold <host> <port> (one TCP connection: prints its
first line, then on each stdin line sends it and prints the echo); rps|rpsconn <host> <port> <seconds>
(requests per second: a connection per request, or all on one connection)."""
import errno
import socket
import struct
import sys
import time


def family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def error(exc):
    if isinstance(exc, socket.timeout):
        return "err TIMEOUT"
    return "err " + errno.errorcode.get(exc.errno, str(exc.errno))


def tcp(host, port):
    s = socket.socket(family(host), socket.SOCK_STREAM)
    s.settimeout(10)
    try:
        s.connect((host, port))
        peer = s.getpeername()
        name = s.makefile("r").readline().strip()
        return "ok %s %s %d" % (name, peer[0], peer[1])
    except OSError as exc:
        return error(exc)
    finally:
        s.close()


def udp(host, port):
    s = socket.socket(family(host), socket.SOCK_DGRAM)
    s.settimeout(10)
    try:
        s.sendto(b"who", (host, port))
        data, source = s.recvfrom(512)
        return "ok %s %s %d" % (data.decode(), source[0], source[1])
    except OSError as exc:
        return error(exc)
    finally:
        s.close()


def udp_connected(host, port):
    """UDP on a connected socket: an ICMP port unreachable surfaces as ECONNREFUSED."""
    s = socket.socket(family(host), socket.SOCK_DGRAM)
    s.settimeout(10)
    try:
        s.connect((host, port))
        s.send(b"who")
        data = s.recv(512)
        peer = s.getpeername()
        return "ok %s %s %d" % (data.decode(), peer[0], peer[1])
    except OSError as exc:
        return error(exc)
    finally:
        s.close()


IP_RECVERR = 11
MSG_ERRQUEUE = 0x2000


def udp_error(host, port):
    """Connected UDP with IP_RECVERR: on an ICMP error, its errno and the error's sender (the
    offender address after struct sock_extended_err, linux/errqueue.h)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(10)
    s.setsockopt(socket.SOL_IP, IP_RECVERR, 1)
    try:
        s.connect((host, port))
        s.send(b"who")
        data = s.recv(512)
        peer = s.getpeername()
        return "ok %s %s %d" % (data.decode(), peer[0], peer[1])
    except OSError as exc:
        if isinstance(exc, socket.timeout):
            return error(exc)
        try:
            _, ancillary, _, _ = s.recvmsg(512, 512, MSG_ERRQUEUE)
        except OSError:
            return error(exc) + " -"
        for level, kind, data in ancillary:
            if level == socket.SOL_IP and kind == IP_RECVERR and len(data) >= 24:
                return "%s %s" % (error(exc), socket.inet_ntoa(data[20:24]))
        return error(exc) + " -"
    finally:
        s.close()


def hold(host, port):
    s = socket.socket(family(host), socket.SOCK_STREAM)
    s.settimeout(30)
    s.connect((host, port))
    reader = s.makefile("r")
    print("ok %s" % reader.readline().strip(), flush=True)
    for line in sys.stdin:
        s.sendall(line.encode())
        print("echo %s" % reader.readline().strip(), flush=True)


def latency(host, port, count):
    """connect() times in microseconds, p50 and p99 (the benchmark's figure)."""
    times = []
    for _ in range(count):
        s = socket.socket(family(host), socket.SOCK_STREAM)
        s.settimeout(10)
        start = time.perf_counter_ns()
        s.connect((host, port))
        times.append((time.perf_counter_ns() - start) / 1000.0)
        s.close()
    times.sort()
    print("p50 %.1f p99 %.1f" % (times[len(times) // 2], times[min(len(times) - 1, len(times) * 99 // 100)]))


def requests(host, port, seconds, one_connection):
    """Requests per second for `seconds`: a request is one line sent and its echo read, after
    the backend's greeting line on a new connection. Per-request connections close with RST
    (SO_LINGER 0) so that no TIME_WAIT piles up over a run and exhausts the ports."""
    linger = struct.pack("ii", 1, 0)
    done = 0
    s = reader = None
    start = time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        if s is None:
            s = socket.socket(family(host), socket.SOCK_STREAM)
            s.settimeout(10)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
            s.connect((host, port))
            reader = s.makefile("rb")
            reader.readline()
        s.sendall(b"r\n")
        if reader.readline() != b"r\n":
            raise SystemExit("no echo from %s:%d" % (host, port))
        done += 1
        if not one_connection:
            reader.close()
            s.close()
            s = None
    print("rps %.1f" % (done / (time.perf_counter() - start)))


def main():
    mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if mode == "latency":
        latency(host, port, int(sys.argv[4]))
        return
    if mode in ("rps", "rpsconn"):
        requests(host, port, float(sys.argv[4]), mode == "rpsconn")
        return
    if mode == "hold":
        hold(host, port)
        return
    attempt = {"tcp": tcp, "udp": udp, "udpc": udp_connected, "udperr": udp_error}[mode]
    for _ in range(int(sys.argv[4])):
        print(attempt(host, port), flush=True)


main()
