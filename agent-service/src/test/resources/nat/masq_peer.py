"""Real sockets for MasqueradeIT: a server outside the cluster that tells each client the
address it sees, and clients in pods with a fixed source port.

  server HOST TCP_PORT UDP_PORT LOG   serve until killed; every UDP sender is logged to LOG
  tcp HOST PORT SPORT                 connect from SPORT, print "peer ADDR PORT" as the server
                                      saw it, then send each stdin line and print its echo
  udp HOST PORT SPORT [WAIT]          one datagram from SPORT: print the server's answer,
                                      or "timeout" after WAIT seconds (default 20)
"""
import socket
import sys
import threading

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


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "server":
        server(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
    elif mode == "tcp":
        tcp(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        wait = float(sys.argv[5]) if len(sys.argv) > 5 else TIMEOUT_SECONDS
        udp(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), wait)
