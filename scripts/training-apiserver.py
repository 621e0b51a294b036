#!/usr/bin/env python3
"""The Kubernetes API server of a fast-start training run (scripts/lib.sh fast_java).

Listens on a free loopback port, prints it, and answers the way an API server that holds no
object answers: GET /version its version; a list (GET of a collection) an empty list with a
resourceVersion; a watch (?watch=true) a stream that stays open and sends nothing; anything
else (one object, a write) 404 with a NotFound Status. A training run that talks to it
takes the Java HTTP client's whole request and response path and its informers sync, as a
real run's do: the model classes a real start parses its first lists into are loaded in
the training too. Against a port that refuses the connection, the client's response classes
stay loaded but unlinked, and Java 25.0.3 then crashed when it mapped such a cache
(AOTLinkedClassBulkLoader). The training never reaches a real cluster.

Usage: training-apiserver.py PID   (the port is the first line out, each request's method and
path a line on stderr; runs until it is killed or process PID, the training's shell, is gone)
"""

import http.server
import json
import os
import sys
import threading
import time

BODY = json.dumps({
    "kind": "Status",
    "apiVersion": "v1",
    "metadata": {},
    "status": "Failure",
    "message": "a fast-start training run: this API server holds nothing",
    "reason": "NotFound",
    "code": 404,
}).encode()


VERSION = json.dumps({
    "major": "1",
    "minor": "32",
    "gitVersion": "v1.32.0-jcilium-training",
    "platform": "linux/amd64",
}).encode()


def is_collection(path):
    """Whether PATH names a collection (a list), not one object or a subresource:
    /api/v1/pods, /api/v1/namespaces/NS/pods, /apis/GROUP/VERSION/nodes, ..."""
    parts = [p for p in path.split("/") if p]
    if parts[:1] == ["api"]:
        rest = parts[2:]
    elif parts[:1] == ["apis"]:
        rest = parts[3:]
    else:
        return False
    if len(rest) >= 2 and rest[0] == "namespaces":
        rest = rest[2:] if len(rest) > 2 else ["namespaces", rest[1]]
    return len(rest) == 1


class Training(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def send(self, code, body):
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 (the base class's naming)
        path, _, query = self.path.partition("?")
        if path == "/version":
            self.send(200, VERSION)
        elif is_collection(path) and "watch=true" in query.split("&"):
            # A watch with nothing to report: open until the client goes.
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.flush()
            while self.rfile.read(1):
                pass
            self.close_connection = True
        elif is_collection(path):
            self.send(200, json.dumps({
                "apiVersion": "v1",
                "kind": "List",
                "metadata": {"resourceVersion": "1"},
                "items": [],
            }).encode())
        else:
            self.send(404, BODY)

    def answer_not_found(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.send(404, BODY)

    do_POST = do_PUT = do_PATCH = do_DELETE = answer_not_found

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        print(self.command, self.path.split("?")[0], file=sys.stderr, flush=True)


def exit_with(pid):
    """Ends this process once PID is gone, however the training ended."""
    while True:
        time.sleep(0.5)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            os._exit(0)


def main():
    if len(sys.argv) != 2 or not sys.argv[1].isdigit():
        print("usage: training-apiserver.py PID", file=sys.stderr)
        return 2
    threading.Thread(target=exit_with, args=(int(sys.argv[1]),), daemon=True).start()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Training)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
