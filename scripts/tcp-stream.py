#!/usr/bin/env python3
"""A TCP stream for the end-to-end test: the server sends a sequence number every 10 ms on
each connection; the client checks each arrives in order and writes, once per received
message, how many arrived and the longest gap between two, into a status file.
  tcp-stream.py serve PORT
  tcp-stream.py receive HOST PORT STATUS_FILE
"""
import os
import socket
import struct
import sys
import threading
import time


def serve(port):
    listener = socket.create_server(("0.0.0.0", port), reuse_port=True)
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=send, args=(conn,), daemon=True).start()


def send(conn):
    with conn:
        sequence = 0
        try:
            while True:
                conn.sendall(struct.pack("!Q", sequence))
                sequence += 1
                time.sleep(0.01)
        except OSError:
            pass


def receive(host, port, status):
    conn = socket.create_connection((host, port), timeout=30)
    expected, longest_gap, last = 0, 0.0, time.monotonic()
    buffer = b""
    while True:
        data = conn.recv(4096)
        if not data:
            sys.exit("stream closed by the server after %d messages" % expected)
        buffer += data
        now = time.monotonic()
        longest_gap = max(longest_gap, now - last)
        last = now
        while len(buffer) >= 8:
            (sequence,) = struct.unpack("!Q", buffer[:8])
            buffer = buffer[8:]
            if sequence != expected:
                sys.exit("expected message %d, got %d" % (expected, sequence))
            expected += 1
        with open(status + ".tmp", "w") as out:
            out.write("%d %.3f\n" % (expected, longest_gap))
        os.replace(status + ".tmp", status)


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(int(sys.argv[2]))
    else:
        receive(sys.argv[2], int(sys.argv[3]), sys.argv[4])
