#!/usr/bin/env bash
# A simulated cluster on this machine: a control plane (dev API server, Redis, identity-,
# ipam-, operator-service) and N nodes, each a network namespace with its own agent, on an
# underlay bridge, plus an "outside" namespace that plays the internet (see cluster-lib.sh).
#
#   scripts/cluster.sh up N [--routing tunnel|native]
#                                       start N nodes (2-4); the jars must be built
#                                       (./mvnw -B -DskipTests package); pods reach other
#                                       nodes' pods through the VXLAN overlay (tunnel, the
#                                       default, as upstream's) or direct routes (native)
#   scripts/cluster.sh down             remove everything `up` created, also after a failed up
#   scripts/cluster.sh status           the parts and whether their processes run
#   scripts/cluster.sh kubectl ARGS...  kubectl against the cluster's API server
#   scripts/cluster.sh pod NODE NAMESPACE NAME [LABELS]
#                                       a pod on node-NODE through its CNI plugin; LABELS as
#                                       'app: web, tier: front'
#   scripts/cluster.sh restart-agent NODE
#                                       stop node-NODE's agent and start it again
#   scripts/cluster.sh exec PART CMD... a command in a part's network namespace (cp, outside,
#                                       node-2, pod-NAME)
#
# State lives in $CLUSTER_DIR (default .cluster/ in the checkout); one cluster per directory.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/cluster-lib.sh"

usage() {
  sed -n '6,21p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

require_cluster() {
  cluster_load || { echo "no cluster in $CLUSTER_DIR: start one with 'scripts/cluster.sh up N'" >&2; exit 1; }
}

command=${1:-}
[ -n "$command" ] || usage
shift
case $command in
  up)
    require_root "scripts/cluster.sh up"
    n=${1:-}
    if ! [[ "$n" =~ ^[2-4]$ ]]; then
      echo "scripts/cluster.sh up needs the number of nodes, 2 to 4; got '${n}'" >&2
      exit 2
    fi
    shift
    if [ $# -gt 0 ]; then
      if [ "$1" != --routing ] || [ $# -ne 2 ] || ! [[ "$2" =~ ^(tunnel|native)$ ]]; then
        echo "scripts/cluster.sh up N takes only --routing tunnel or --routing native; got '$*'" >&2
        exit 2
      fi
      CLUSTER_ROUTING=$2
    fi
    if [ -e "$CLUSTER_DIR" ]; then
      echo "$CLUSTER_DIR already holds a cluster (or what a failed one left): run 'scripts/cluster.sh down' first," \
        "or choose another CLUSTER_DIR" >&2
      exit 1
    fi
    # Whatever stops `up` early (a failed step, Ctrl-C, SIGTERM) removes what it created.
    # The work runs in a child while this shell only waits: a signal's trap then runs with
    # the shell idle. (Run in the middle of the work, bash 5.2 could fail to parse the trap,
    # "unexpected EOF while looking for matching `)'", and the up went on as if never
    # stopped; cluster-e2e caught it.)
    (trap - INT TERM; cluster_up "$n") &
    worker=$!
    interrupted=
    trap 'interrupted=1' INT TERM
    wait "$worker"
    result=$?
    while [ -n "$interrupted" ] && kill -0 "$worker" 2>/dev/null; do
      kill -TERM "$worker" 2>/dev/null
      wait "$worker"
    done
    trap - INT TERM
    if [ -n "$interrupted" ] || [ "$result" -ne 0 ]; then
      if [ -n "$interrupted" ]; then
        log "up did not complete: removing what it created"
      else
        log "up failed: removing what it created (the logs are removed too; rerun with CLUSTER_KEEP_LOGS=DIR to keep them)"
        [ -z "${CLUSTER_KEEP_LOGS:-}" ] || cp -r "$CLUSTER_DIR/logs" "$CLUSTER_KEEP_LOGS"
      fi
      cluster_down
      exit 1
    fi
    cluster_load
    log "cluster $CLUSTER_RUN is up: scripts/cluster.sh kubectl get ciliumnodes; scripts/cluster.sh down"
    ;;
  down)
    require_root "scripts/cluster.sh down"
    if [ ! -e "$CLUSTER_DIR" ]; then
      echo "no cluster in $CLUSTER_DIR: nothing to remove"
      exit 0
    fi
    cluster_load || true
    cluster_down
    log "cluster ${CLUSTER_RUN:-?} removed"
    ;;
  status)
    require_cluster
    echo "cluster $CLUSTER_RUN, $CLUSTER_NODES nodes, routing mode ${CLUSTER_ROUTING}, state in $CLUSTER_DIR"
    while read -r kind value; do
      case $kind in
        pid) printf '  process %-8s %-8s %s\n' "$value" "$(kill -0 "$value" 2>/dev/null && echo running || echo gone)" \
          "$(tr '\0' ' ' < "/proc/$value/cmdline" 2>/dev/null | grep -o -- '-jar [^ ]*\|redis-server' | head -n 1)" ;;
        netns) printf '  netns   %s\n' "$value" ;;
      esac
    done < "$CLUSTER_DIR/resources"
    ;;
  kubectl)
    require_cluster
    cluster_kubectl "$@"
    ;;
  pod)
    require_cluster
    [ $# -ge 3 ] || usage
    [[ "$1" =~ ^[0-9]+$ ]] && [ "$1" -ge 1 ] && [ "$1" -le "$CLUSTER_NODES" ] \
      || { echo "no node-$1 in this cluster: it has node-1 to node-$CLUSTER_NODES" >&2; exit 2; }
    pod_add "$1" "$2" "$3" "${4:-app: $3}" || exit 1
    echo "$2/$3 on node-$1: $POD_IP"
    ;;
  restart-agent)
    require_cluster
    [[ "${1:-}" =~ ^[0-9]+$ ]] && [ "$1" -ge 1 ] && [ "$1" -le "$CLUSTER_NODES" ] \
      || { echo "no node-${1:-} in this cluster: it has node-1 to node-$CLUSTER_NODES" >&2; exit 2; }
    cluster_agent_restart "$1" || exit 1
    log "node-$1's agent answers again"
    ;;
  exec)
    require_cluster
    [ $# -ge 2 ] || usage
    part=$1
    shift
    [ -e "/run/netns/$(cluster_ns "$part")" ] || { echo "no part '$part' in cluster $CLUSTER_RUN" >&2; exit 2; }
    in_ns "$part" "$@"
    ;;
  *) usage ;;
esac
