#!/usr/bin/env python3
"""TCP request/response for bench/crossnode: one connection, 1-byte requests answered with
1 byte, like netperf's TCP_RR (netperf is not packaged here).
  rr.py serve PORT
  rr.py run HOST PORT COUNT      prints the median and p99 round trip in microseconds
"""
import socket
import sys
import time


def serve(port):
    listener = socket.create_server(("0.0.0.0", port), reuse_port=True)
    while True:
        conn, _ = listener.accept()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with conn:
            while True:
                data = conn.recv(1)
                if not data:
                    break
                conn.sendall(data)


def run(host, port, count):
    with socket.create_connection((host, port), timeout=10) as conn:
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        rtts = []
        for _ in range(count):
            start = time.perf_counter_ns()
            conn.sendall(b"x")
            if conn.recv(1) != b"x":
                raise SystemExit("rr: the connection closed early")
            rtts.append((time.perf_counter_ns() - start) / 1000)
    rtts.sort()
    print(f"{rtts[len(rtts) // 2]:.0f} {rtts[int(len(rtts) * 0.99)]:.0f}")


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(int(sys.argv[2]))
    else:
        run(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
