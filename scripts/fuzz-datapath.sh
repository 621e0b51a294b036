#!/usr/bin/env bash
# Differential fuzzing of the offline policy trace against the real datapath, the long
# form of agent-service's DifferentialPolicyFuzzIT: SEEDS random scenarios (policies and
# pods) from FIRST_SEED on (a random start if not given, printed), each probed with real
# packets between pod namespaces. A disagreement fails the run and leaves a reproducer
# under agent-service/target/fuzz-reproducers/seed-N/ (replay one seed with FUZZ_SEED=N).
#
#   scripts/fuzz-datapath.sh [SEEDS] [FIRST_SEED]
#   FUZZ_PODS=6 FUZZ_PROBES=24 FUZZ_POLICIES=5 scripts/fuzz-datapath.sh 200
#   FUZZ_SEED=1234 scripts/fuzz-datapath.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"
require_root "scripts/fuzz-datapath.sh"
cd "$REPO_ROOT"

seeds="${1:-100}"
first="${2:-$(( (RANDOM << 15 | RANDOM) + 1 ))}"
props=(-Dfuzz.pods="${FUZZ_PODS:-5}" -Dfuzz.probes="${FUZZ_PROBES:-16}" -Dfuzz.policies="${FUZZ_POLICIES:-4}")
if [ -n "${FUZZ_SEED:-}" ]; then
  log "replaying seed $FUZZ_SEED"
  props+=(-Dfuzz.seed="$FUZZ_SEED")
else
  log "fuzzing $seeds seeds from seed $first (again: scripts/fuzz-datapath.sh $seeds $first)"
  props+=(-Dfuzz.seeds="$seeds" -Dfuzz.firstSeed="$first")
fi
./mvnw -B -q -pl agent-service -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=DifferentialPolicyFuzzIT -Dit.failIfNoSpecifiedTests=false "${props[@]}"
