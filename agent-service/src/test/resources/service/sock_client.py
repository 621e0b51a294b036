"""Test client of the socket LB ITs: connects the way applications do and prints, one
line per attempt, which backend answered and what the socket says its peer is:
  ok <backend> <peer address> <peer port>     or     err <ERRNO NAME>
Modes: tcp|udp|udpc <host> <port> <count> (udpc: connected UDP); latency <host> <port> <count> (connect() p50/p99 in us); hold <host> <port> (one TCP connection: prints its
first line, then on each stdin line sends it and prints the echo)."""
import errno
import socket
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


def main():
    mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if mode == "latency":
        latency(host, port, int(sys.argv[4]))
        return
    if mode == "hold":
        hold(host, port)
        return
    attempt = {"tcp": tcp, "udp": udp, "udpc": udp_connected}[mode]
    for _ in range(int(sys.argv[4])):
        print(attempt(host, port), flush=True)


main()
