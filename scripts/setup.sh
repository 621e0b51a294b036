#!/usr/bin/env bash
# Installs everything this project needs on a fresh Debian 12 machine (run as root).
# Idempotent: packages already present are skipped, and each step says what it does.
set -euo pipefail

PACKAGES=(
  # build
  openjdk-17-jdk-headless make
  # the CNI plugin: a static C binary (gcc, and libc6-dev for the static libc)
  gcc libc6-dev
  # eBPF toolchain and runtime
  clang llvm libbpf-dev libbpf1 bpftool linux-libc-dev
  # network namespaces and traffic
  iproute2 iputils-ping iputils-arping iperf3 ethtool tcpdump procps psmisc netcat-openbsd util-linux
  # benchmark helpers (bench/datapath: TCP request/response client, JSON parsing)
  python3
  # bench/services: kube-proxy-shaped rules, both backends (iptables-legacy and iptables-nft)
  iptables
  # state store
  redis-server
  # container runtime that acts as our CNI client; busybox-static is the image of its tests
  podman runc busybox-static
  # reference CNI plugins: the baseline of bench/endpoints (bridge, host-local)
  containernetworking-plugins
  # BGP peers of bgp-service's interop tests and bench/bgp (each test starts its own daemons)
  bird2 gobgpd frr
  # misc
  curl ca-certificates jq
  # drives the console's interactive shell in its terminal test (cli-shell InteractiveShellIT)
  tmux
  # issues the test CA and node certificates of the mTLS tests (test-support TestCertificates)
  openssl
  # reads the pods file of scripts/connectivity-matrix.sh (scripts/connectivity-probe.py plan)
  python3-yaml
  # a Hubble client generated from upstream's own .proto files reads our agents and relay
  # (scripts/upstream-hubble-client.py, run by scripts/e2e.sh; Debian's system python3 only)
  python3-grpcio python3-grpc-tools python3-protobuf
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all Debian packages present (${#PACKAGES[@]})"
fi

# bpffs: pinned maps and programs live here.
if ! mount | grep -q ' /sys/fs/bpf type bpf'; then
  echo "setup: mounting bpffs on /sys/fs/bpf"
  mount -t bpf bpf /sys/fs/bpf
fi

# Redis from Debian must not hold port 6379 for the whole machine: the demo and tests start their own.
if systemctl is-active --quiet redis-server 2>/dev/null; then
  echo "setup: stopping the distribution's redis-server service (tests start their own)"
  systemctl stop redis-server || true
fi

# BIRD, FRR and gobgpd from Debian must not run as the machine's routers: bgp-service's tests
# and bench/bgp start their own daemons in network namespaces, with their own config and sockets.
for service in bird frr gobgpd; do
  if [ -d /run/systemd/system ]; then
    if systemctl is-enabled --quiet "$service" 2>/dev/null || systemctl is-active --quiet "$service" 2>/dev/null; then
      echo "setup: stopping and disabling the distribution's $service service (tests start their own)"
      systemctl disable --now "$service" > /dev/null 2>&1 || true
    fi
  elif [ -x "/etc/init.d/$service" ]; then
    service "$service" stop > /dev/null 2>&1 || true
    update-rc.d "$service" disable > /dev/null 2>&1 || true
  fi
done

# kubectl drives the dev API server in the demo and the end-to-end test. Debian 12 does not
# package it; machines of this kind have the 1.32 client preinstalled.
if ! command -v kubectl > /dev/null; then
  echo "setup: kubectl is missing: install a kubectl client (1.28 or newer) on the PATH; the demo and scripts/e2e.sh need it" >&2
  exit 1
fi

# The admin console as a command on the PATH: `jcilium status` from any directory. The link
# points into this checkout, so it runs whatever cli-shell jar was built here last; Java 25
# (Temurin, beside the default JDK on these machines) makes it start fast when present.
console_link=/usr/local/bin/jcilium
console_launcher="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/jcilium"
if [ "$(readlink "$console_link" 2>/dev/null)" != "$console_launcher" ]; then
  echo "setup: linking $console_link -> $console_launcher"
  ln -sfn "$console_launcher" "$console_link"
fi

echo "setup: done"
