#!/usr/bin/env python3
"""TCP request/response latency: one connection, N one-byte round trips (netperf TCP_RR style).

  tcp_rr.py server <ip> <port>          serve until killed
  tcp_rr.py client <ip> <port> <count>  print the median round trip in microseconds
"""
import socket
import statistics
import sys
import time


def server(ip, port):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((ip, port))
    listener.listen(8)
    while True:
        conn, _ = listener.accept()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        while True:
            data = conn.recv(1)
            if not data:
                break
            conn.sendall(data)
        conn.close()


def client(ip, port, count):
    conn = socket.create_connection((ip, port), timeout=5)
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    samples = []
    for _ in range(count):
        start = time.perf_counter_ns()
        conn.sendall(b"x")
        if conn.recv(1) != b"x":
            raise SystemExit("short read")
        samples.append(time.perf_counter_ns() - start)
    conn.close()
    print("%.1f" % (statistics.median(samples) / 1000.0))


if __name__ == "__main__":
    if sys.argv[1] == "server":
        server(sys.argv[2], int(sys.argv[3]))
    else:
        client(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
