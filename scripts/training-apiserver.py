#!/usr/bin/env python3
"""The Kubernetes API server of a fast-start training run (scripts/lib.sh fast_java).

Listens on a free loopback port, prints it, and answers every request the way an API server
answers for an object it does not hold: 404 with a NotFound Status. A training run that
talks to it takes the Java HTTP client's whole request and response path, as a real run
does. Against a port that refuses the connection, the client's response classes stay
loaded but unlinked, and Java 25.0.3 then crashed when it mapped such a cache
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


class NotFound(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.send_response(404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = answer

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
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), NotFound)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
