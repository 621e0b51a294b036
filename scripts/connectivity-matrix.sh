#!/usr/bin/env bash
# The reachability matrix from real packets, checked against the offline trace (issue 16
# point 7). Takes what `jcilium policy trace --offline` takes, starts a simulated cluster of
# its own (scripts/cluster.sh), creates the namespaces and pods there (pod i on node
# (i mod NODES)+1, through the nodes' CNI plugin; an `ip` field is ignored: pods get their
# addresses from IPAM), puts each external's `ip` on the outside namespace, applies the
# policies through the API server (kubectl apply, file by file in name order, as the trace
# reads them), and opens one new connection with real packets (TCP, UDP, SCTP, ICMP echo)
# for every (source, destination, port/protocol) the trace lists, all sources at once.
# Then it prints the live matrix in the trace's exact line format, and the diff against the
# trace. Policy takes effect on each node on its own time, so the matrix is probed in rounds
# until two rounds in a row agree (at most CONN_MATRIX_ROUNDS, default 6).
#
#   scripts/connectivity-matrix.sh --pods PODS.yaml --policies DIR [--ports 80/TCP,53/UDP,...]
#                                  [--nodes 2-4] [--routing tunnel|native]
#
# A disagreement saves the case in $CONN_MATRIX_CASES (default target/connectivity-cases):
# the pods file, the policies, the ports, both matrices, the diff, every round, where each
# pod ran with its address, and the agents' logs. Exit status: 0 when live and offline
# agree, 1 when they disagree (or a step failed), 2 for bad usage or input. Needs root and the
# jars built (./mvnw -B -DskipTests package). Externals with an `entity` cannot be probed.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
CLUSTER_DIR=${CLUSTER_DIR:-$REPO_ROOT/.cluster-matrix-$$}
source "$(dirname "$0")/cluster-lib.sh"
source "$(dirname "$0")/connectivity-lib.sh"
CONN_MATRIX_ROUNDS=${CONN_MATRIX_ROUNDS:-6}
CONN_MATRIX_CASES=${CONN_MATRIX_CASES:-$REPO_ROOT/target/connectivity-cases}

usage() {
  sed -n '14,15p' "$0" | sed 's/^# \{0,1\}//' >&2
  [ -z "${1:-}" ] || echo "$1" >&2
  exit 2
}

pods_file= policies_dir= ports=80/TCP nodes=2
while [ $# -gt 0 ]; do
  case $1 in
    --pods) pods_file=${2:-} ;;
    --policies) policies_dir=${2:-} ;;
    --ports) ports=${2:-} ;;
    --nodes) nodes=${2:-} ;;
    --routing) CLUSTER_ROUTING=${2:-} ;;
    *) usage "unknown argument '$1'" ;;
  esac
  [ $# -ge 2 ] || usage "$1 needs a value"
  shift 2
done
[ -f "$pods_file" ] || usage "--pods: no file '$pods_file'"
[ -d "$policies_dir" ] || usage "--policies: no directory '$policies_dir'"
[[ "$nodes" =~ ^[2-4]$ ]] || usage "--nodes: 2 to 4, got '$nodes'"
[[ "$CLUSTER_ROUTING" =~ ^(tunnel|native)$ ]] || usage "--routing: tunnel or native, got '$CLUSTER_ROUTING'"
require_root "scripts/connectivity-matrix.sh"
# The trace prints each port as PORT/PROTO in capitals (a bare port is TCP): so do the lines.
ports=$(echo "$ports" | tr '[:lower:]' '[:upper:]' | sed -E 's#(^|,)([0-9]+)(,|$)#\1\2/TCP\3#g; s#(^|,)([0-9]+)(,|$)#\1\2/TCP\3#g')
pods_file=$(readlink -f "$pods_file")
policies_dir=$(readlink -f "$policies_dir")

work=$(mktemp -d "${TMPDIR:-/tmp}/connectivity-matrix.XXXXXX")
finish() {
  local status=$?
  trap - EXIT INT TERM
  cluster_down
  rm -rf "$work"
  exit "$status"
}
trap finish EXIT
trap 'exit 130' INT TERM

# The offline answer first: it also rejects bad input with the trace's own message.
if ! "$REPO_ROOT/scripts/jcilium" policy trace --offline --policies "$policies_dir" --pods "$pods_file" \
  --ports "$ports" > "$work/offline.txt" 2> "$work/offline.err"; then
  cat "$work/offline.txt" "$work/offline.err" >&2
  echo "the offline trace refused the input; nothing was started" >&2
  exit 2
fi
grep -q '^summary: ' "$work/offline.txt" || { cat "$work/offline.txt" >&2; echo "no matrix from the offline trace" >&2; exit 1; }
"${CONN_PROBE[@]}" plan "$pods_file" "$work" "$nodes" || exit 2

log "cluster of $nodes nodes (routing $CLUSTER_ROUTING) in $CLUSTER_DIR"
conn_cluster_up "$nodes" "$work/cluster-up.log" || { echo "the cluster did not come up" >&2; exit 1; }
cluster_kubectl apply -f "$work/objects.yaml" > /dev/null || { echo "the namespaces and pods were refused" >&2; exit 1; }

declare -A part_of ip_of source_ip_of
members=()
pod_index=0
serve_ports=${ports//,/ }
while read -r kind name a b c; do
  members+=("$name")
  if [ "$kind" = pod ]; then
    pod_index=$((pod_index + 1))
    part_of[$name]=pod-m$pod_index
    pod_attach "$c" "$a" "$b" "pod-m$pod_index" || exit 1
    ip_of[$name]=$POD_IP
    echo "$name node-$c $POD_IP" >> "$work/placement.txt"
    # shellcheck disable=SC2086 # one argument per port
    conn_serve "pod-m$pod_index" $serve_ports || exit 1
  else
    part_of[$name]=outside
    ip_of[$name]=$a
    source_ip_of[$name]=@$a
    ip -n "$(cluster_ns outside)" addr replace "$a/32" dev lo || exit 1
    echo "$name outside $a" >> "$work/placement.txt"
  fi
done < "$work/plan.tsv"
if grep -q '^external' "$work/plan.tsv"; then
  # shellcheck disable=SC2086 # one argument per port
  conn_serve outside $serve_ports || exit 1
fi
log "pods: $(tr '\n' ';' < "$work/placement.txt")"

# probe_matrix PORTS OUT: every line the trace lists for PORTS, probed; OUT gets the lines in
# the trace's order and format.
probe_matrix() {
  local port_list=$1 out=$2 dir from to port key n=0
  dir=$(mktemp -d "$work/round.XXXXXX")
  : > "$dir/lines"
  for from in "${members[@]}"; do
    for to in "${members[@]}"; do
      [ "${part_of[$from]}" != outside ] || [ "${part_of[$to]}" != outside ] || continue
      for port in ${port_list//,/ }; do
        n=$((n + 1))
        key=c$n
        echo "$key $from $to $port" >> "$dir/lines"
        echo "$key=${ip_of[$to]}:$port${source_ip_of[$from]:-}" >> "$dir/targets-${part_of[$from]}"
      done
    done
  done
  conn_probe_all "$dir"
  cat "$dir"/results-* > "$dir/results"
  local allowed=0 denied=0 verdict
  : > "$out"
  while read -r key from to port; do
    verdict=$(sed -n "s/^$key //p" "$dir/results")
    echo "$from $to $port ${verdict:-error: no answer from the probe}" >> "$out"
    case $verdict in allowed) allowed=$((allowed + 1)) ;; denied) denied=$((denied + 1)) ;; esac
  done < "$dir/lines"
  echo "summary: $n connections, $allowed allowed, $denied denied" >> "$out"
  rm -rf "$dir"
}

# Without policy every connection is allowed (mode default): until the first port connects
# everywhere, the cluster is not ready (endpoints, ipcache entries and routes still coming).
first_port=${ports%%,*}
warm_rounds=0
until probe_matrix "$first_port" "$work/warm.txt" && ! grep -v '^summary' "$work/warm.txt" | grep -qv ' allowed$'; do
  warm_rounds=$((warm_rounds + 1))
  if [ $warm_rounds -ge 20 ]; then
    cat "$work/warm.txt" >&2
    echo "without any policy, not every pod connects on $first_port: the cluster is not ready" >&2
    exit 1
  fi
  sleep 2
done

for file in "$policies_dir"/*.yaml "$policies_dir"/*.yml; do
  [ -e "$file" ] || continue
  cluster_kubectl apply -f "$file" > "$work/apply.log" 2>&1 \
    || { cat "$work/apply.log" >&2; echo "the API server refused $(basename "$file")" >&2; exit 1; }
done
log "policies applied; probing rounds until two agree"

round=0
stable=false
while [ $round -lt "$CONN_MATRIX_ROUNDS" ]; do
  round=$((round + 1))
  probe_matrix "$ports" "$work/round-$round.txt"
  if [ $round -gt 1 ] && cmp -s "$work/round-$((round - 1)).txt" "$work/round-$round.txt"; then
    stable=true
    break
  fi
done
cp "$work/round-$round.txt" "$work/live.txt"
cat "$work/live.txt"
echo
echo "diff offline live (policy trace --offline against real packets, round $round):"
if diff -u --label offline --label live "$work/offline.txt" "$work/live.txt" > "$work/diff.txt"; then
  echo "no disagreement: $(grep -c -v '^summary' "$work/live.txt") connections"
  $stable || echo "(but the last $CONN_MATRIX_ROUNDS rounds did not agree with each other)"
  $stable && exit 0
else
  cat "$work/diff.txt"
fi
case_dir=$CONN_MATRIX_CASES/case-$(date -u +%Y%m%dT%H%M%SZ)-$CLUSTER_RUN
mkdir -p "$case_dir/policies"
cp "$pods_file" "$case_dir/pods.yaml"
cp "$policies_dir"/*.y*ml "$case_dir/policies/" 2> /dev/null
echo "$ports" > "$case_dir/ports.txt"
cp "$work"/offline.txt "$work"/live.txt "$work"/diff.txt "$work"/round-*.txt "$work/placement.txt" "$case_dir/"
cp -r "$CLUSTER_DIR/logs" "$case_dir/logs"
$stable || echo "rounds never agreed: live answers flipped between rounds" > "$case_dir/unstable.txt"
echo "disagreement: case saved in $case_dir"
exit 1
