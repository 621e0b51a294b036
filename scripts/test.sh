#!/usr/bin/env bash
# Sets up the machine and runs the whole test suite: unit tests (*Test), and integration
# tests (*IT) against a real kernel (eBPF, network namespaces), real Redis and the
# fabric8 mock API server. Prints the number of tests run per module at the end.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
require_root "scripts/test.sh"
cd "$REPO_ROOT"

bash scripts/setup.sh

log "building and testing every module (./mvnw -B verify)"
status=0
./mvnw -B verify "$@" || status=$?

bash scripts/test-summary.sh || true
exit $status
