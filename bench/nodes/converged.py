#!/usr/bin/env python3
"""Waits until a node of the simulated cluster has converged on another node being there
(present) or gone (absent), and prints how long each part took, in milliseconds since
START_NS (the wall clock, nanoseconds, taken just before the change was made):
  route     a route with the agent's protocol (198) via the other node's address
  ipcache   an ipcache entry whose tunnel endpoint is the other node's address
  converged the later of the two
  converged.py NETNS IPCACHE_PIN NODE_IP present|absent START_NS TIMEOUT_SECONDS
Exit status 1 when TIMEOUT_SECONDS pass first (the parts seen so far are printed).
"""
import ipaddress
import json
import subprocess
import sys
import time


def routed(netns, node_ip):
    out = subprocess.run(["nsenter", "--net=/run/netns/" + netns, "ip", "route", "show", "proto", "198"],
                         capture_output=True, text=True, check=True).stdout
    return any(("via %s " % node_ip) in line for line in out.splitlines())


def tunnel_endpoint(entry):
    value = entry.get("value")
    if isinstance(value, list):
        raw = bytes(int(b, 16) for b in value)
        return raw[4:8]
    # With BTF only the formatted struct: tunnel_endpoint is a __be32 read as a number.
    number = entry["formatted"]["value"]["tunnel_endpoint"]
    return number.to_bytes(4, "little")


def in_ipcache(pin, node_ip):
    out = subprocess.run(["bpftool", "-j", "map", "dump", "pinned", pin], capture_output=True, text=True,
                         check=True).stdout
    target = ipaddress.ip_address(node_ip).packed
    return any(tunnel_endpoint(entry) == target for entry in json.loads(out))


def main():
    netns, pin, node_ip, want, start_ns, timeout = sys.argv[1:7]
    present = want == "present"
    start_ns, deadline = int(start_ns), time.monotonic() + float(timeout)
    seen = {}
    while True:
        now_ms = (time.time_ns() - start_ns) / 1e6
        if "route" not in seen and routed(netns, node_ip) == present:
            seen["route"] = now_ms
        if "ipcache" not in seen and in_ipcache(pin, node_ip) == present:
            seen["ipcache"] = now_ms
        if len(seen) == 2 or time.monotonic() > deadline:
            break
        time.sleep(0.01)
    parts = " ".join("%s %.0f" % (part, seen[part]) for part in ("route", "ipcache") if part in seen)
    if len(seen) == 2:
        print("%s converged %.0f" % (parts, max(seen.values())))
        return 0
    print("%s not converged after %s s" % (parts, timeout))
    return 1


if __name__ == "__main__":
    sys.exit(main())
