#!/usr/bin/env bash
# Sets up the machine and runs the whole test suite: unit tests (*Test), and integration
# tests (*IT) against a real kernel (eBPF, network namespaces), real Redis and the
# fabric8 mock API server; then one node end to end (scripts/e2e.sh), and the simulated
# clusters' end-to-end scripts. Prints the number of tests run per module at the end.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
require_root "scripts/test.sh"
cd "$REPO_ROOT"

bash scripts/setup.sh

log "building and testing every module, the container images too (./mvnw -B -T 2 -Pimages verify)"
status=0
# The tests check the jars' own defaults (mTLS on), so the scripts' plaintext development
# setting (lib.sh) stays out of their environment; tests that start services as processes
# pass the setting themselves. Two modules at a time (-T 2): the agent's tests (about 11 min)
# run beside the other services' instead of before them, 19 min for the whole build against
# 26 min one module at a time on a 2-core machine; the tests use per-run names and free ports.
# -Pimages: each service's image is built from the jar this run made, in its package phase
# (images/), where a second -Pimages package run after it would make every jar again.
env -u JCILIUM_TLS_ENABLED ./mvnw -B -T 2 -Pimages verify "$@" || status=$?

# How the scripts below start the services (scripts/fast-java-test.sh): each service's fast
# start is a cache the JVM starts with, trained without reaching any caller's API server, and
# a cache that crashes the JVM is trained again without AOT class linking (about 90 s).
if [ $status -eq 0 ]; then
  log "the scripts' fast start of the services (scripts/fast-java-test.sh)"
  mkdir -p target
  bash scripts/fast-java-test.sh | tee target/fast-java-test.log || status=$?
fi

# The control-plane drills (scripts/drills.sh): the build above ran the Redis ones (Redis
# killed, wiped, primary failover under load); then the agent drills' short form on a two-node
# cluster (identity-service killed, ipam-service restarted during pod churn, operator leader
# killed, an agent partitioned for 20 s; about 5 minutes). Prints their table, and fails if a
# drill broke a flow, failed a pod, duplicated, lost or leaked, or left no result.
if [ $status -eq 0 ]; then
  log "control-plane drills (scripts/drills.sh --report)"
  mkdir -p target
  bash scripts/drills.sh --report | tee target/drills.log || status=$?
fi

# One node end to end, from the jars the build just made: dev API server, Redis,
# identity-service, the agent with its eBPF datapath, pods through the CNI plugin, kubectl policy.
if [ $status -eq 0 ]; then
  log "end-to-end test of one node (scripts/e2e.sh)"
  mkdir -p target
  bash scripts/e2e.sh | tee target/e2e.log || status=$?
fi

# Two nodes end to end (scripts/cluster-e2e.sh), in both routing modes: pods across nodes,
# the VXLAN overlay with identity in the VNI / direct routes, policy by identity across
# nodes, a node leaving and joining.
for routing in tunnel native; do
  if [ $status -eq 0 ]; then
    log "end-to-end test of a two-node cluster, routing mode $routing (scripts/cluster-e2e.sh $routing)"
    bash scripts/cluster-e2e.sh "$routing" | tee "target/cluster-e2e-$routing.log" || status=$?
  fi
done
if [ $status -eq 0 ]; then
  log "the two-node cluster with mTLS and per-node agent certificates, as the chart runs it (scripts/cluster-e2e.sh mtls)"
  bash scripts/cluster-e2e.sh mtls | tee target/cluster-e2e-mtls.log || status=$?
fi

# Multi-pool IPAM on a two-node cluster (scripts/multipool-e2e.sh), tunnel mode: pods get
# addresses from blocks of the CiliumPodIPPools their annotations name, reach each other
# across nodes under policy by identity, and a block no longer used goes back.
if [ $status -eq 0 ]; then
  log "multi-pool IPAM on a two-node cluster (scripts/multipool-e2e.sh tunnel)"
  bash scripts/multipool-e2e.sh tunnel | tee target/multipool-e2e-tunnel.log || status=$?
fi

# Reachability from real packets on a two-node cluster (scripts/connectivity-*.sh): the
# connectivity suite (upstream's `cilium connectivity test` scenarios, PASS/FAIL each), and
# the matrix of examples/connectivity-matrix (TCP, UDP, SCTP, ICMP) diffed against the
# offline trace.
if [ $status -eq 0 ]; then
  log "connectivity suite on a two-node cluster (scripts/connectivity-test.sh)"
  bash scripts/connectivity-test.sh | tee target/connectivity-test.log || status=$?
fi
if [ $status -eq 0 ]; then
  log "connectivity matrix from real packets against the offline trace (scripts/connectivity-matrix.sh)"
  bash scripts/connectivity-matrix.sh --pods examples/connectivity-matrix/pods.yaml \
    --policies examples/connectivity-matrix/policies --ports 8080/TCP,5353/UDP,9999/SCTP,8/ICMP \
    | tee target/connectivity-matrix.log || status=$?
fi

# Every service's container image (issue 21), as the build above wrote it: each loaded into
# podman and run until it answers its health check (scripts/images-test.sh).
if [ $status -eq 0 ]; then
  log "container images: podman load and run each (scripts/images-test.sh)"
  bash scripts/images-test.sh | tee target/images-test.log || status=$?
fi

bash scripts/test-summary.sh || true
exit $status
