#!/usr/bin/env bash
# Control-plane drills (issue 17 point 7), bounded, printing one table row per drill.
#   scripts/drills.sh            runs the Redis drill tests (real redis-server, redis-sentinel,
#                                identity-service), then the agent drills in their short form
#                                (scripts/agent-drills.sh: one two-node cluster, real pods,
#                                real flows), and prints the table
#   scripts/drills.sh --full     the same with the agent drills' full form (an agent
#                                partitioned for 2 minutes, the default leases)
#   scripts/drills.sh --report   the Redis drills' rows from the last build's results (for
#                                scripts/test.sh: the full build already ran them), then the
#                                agent drills' short form
# Each drill writes <module>/target/drills/<drill>.tsv (the Redis drills) or
# target/drills/<drill>.tsv (the agent drills); the columns:
#   BROKEN     established TCP flows between pods of both nodes that ended or stalled
#              (agent drills; expected 0)
#   FAILED     pods that did not start, retried as a runtime does, within 90 s while pods
#              were added and deleted through the CNI plugin (agent drills; expected 0)
#   REFUSED    calls refused while the failure lasted (callers retry them); for the agent
#              drills, CNI ADDs refused and retried
#   DUPLICATE  numbers answered for two label sets (expected 0); for the agent drills also
#              CiliumEndpoints whose number the store gives other labels, addresses of two
#              endpoints, overlapping pod CIDRs
#   LOST       acknowledged allocations missing afterwards (expected 0); for the agent
#              drills, endpoints whose number their node holds no live reference to
#   CONVERGE   the longest pause in answers (ms) from the failure on: for "redis-killed"
#              it includes the 2 s Redis stays down; for the agent drills, until a pod with
#              new labels starts, the failed part answers and every reference is back (from
#              the failure, for "agent-partitioned" from the reconnect); -1: not within the bound
#   LEAKED     numbers held in Redis that no caller was answered (Redis drills: reclaimed by
#              the GC once their lease lapses); for the agent drills (expected 0), endpoints,
#              IP allocations, veths, CiliumEndpoints, pod namespaces, identity references and
#              pod CIDRs that outlive what held them
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"

DRILL_TESTS='RedisDrillsIT,SentinelFailoverIT'
DRILLS='redis-killed redis-wiped redis-primary-failover identity-service-killed ipam-service-restarted
  operator-leader-killed agent-partitioned'

report=false
agent_form=
case ${1:-} in
  --report) report=true ;;
  --full) agent_form=--full ;;
  '') ;;
  *) echo "scripts/drills.sh takes --report or --full; got '$*'" >&2; exit 2 ;;
esac

status=0
if ! $report; then
  rm -rf identity-service/target/drills
  log "running the drills ($DRILL_TESTS)"
  ./mvnw -B -q -pl identity-service -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test="$DRILL_TESTS" -Dfailsafe.failIfNoSpecifiedTests=false || status=$?
fi
rm -rf target/drills
log "running the agent drills (scripts/agent-drills.sh $agent_form; log in target/drills/agent-drills.log)"
bash scripts/agent-drills.sh $agent_form || status=1

missing=""
for drill in $DRILLS; do
  [ -e target/drills/"$drill".tsv ] || ls */target/drills/"$drill".tsv > /dev/null 2>&1 || missing="$missing $drill"
done
rows=$(cat target/drills/*.tsv */target/drills/*.tsv 2> /dev/null || true)
printf '%-24s %6s %6s %8s %10s %6s %10s %7s\n' DRILL BROKEN FAILED REFUSED DUPLICATE LOST CONVERGE LEAKED
bad=""
while IFS=$'\t' read -r drill refused duplicate lost converge leaked broken failed; do
  [ -n "$drill" ] || continue
  printf '%-24s %6s %6s %8s %10s %6s %8sms %7s\n' "$drill" "${broken:--}" "${failed:--}" "$refused" "$duplicate" \
    "$lost" "$converge" "$leaked"
  # The agent drills' rows carry BROKEN and FAILED: zero broken, failed, duplicated, lost and
  # leaked is what they expect (the Redis drill tests assert theirs themselves).
  if [ -n "$broken" ] && [ "$broken$failed$duplicate$lost$leaked" != 00000 -o "$converge" -lt 0 ]; then
    bad="$bad $drill"
  fi
done < <(printf '%s\n' "$rows" | sort)
if [ -n "$bad" ]; then
  echo "drills that broke flows, failed pods, duplicated, lost or leaked, or did not converge:$bad" >&2
  status=1
fi
if [ -n "$missing" ]; then
  echo "drills without a result (failed or not run):$missing" >&2
  exit 1
fi
exit "$status"
