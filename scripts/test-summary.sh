#!/usr/bin/env bash
# Counts the tests each module ran, from the Surefire (*Test) and Failsafe (*IT) XML reports.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"

total_run=0 total_fail=0 total_skip=0
printf '%-20s %8s %8s %8s %8s\n' MODULE UNIT IT FAILED SKIPPED
for pom in */pom.xml; do
  module=$(dirname "$pom")
  unit=0 it=0 fail=0 skip=0
  for kind in surefire failsafe; do
    dir="$module/target/$kind-reports"
    [ -d "$dir" ] || continue
    for report in "$dir"/TEST-*.xml; do
      [ -f "$report" ] || continue
      # The <testsuite ...> element carries the counts as attributes.
      header=$(grep -m1 -o '<testsuite [^>]*>' "$report")
      attr() { printf '%s' "$header" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
      n=$(attr tests) f=$(( $(attr failures) + $(attr errors) )) s=$(attr skipped)
      if [ "$kind" = surefire ]; then unit=$((unit + n)); else it=$((it + n)); fi
      fail=$((fail + f)) skip=$((skip + s))
    done
  done
  if [ $((unit + it)) -gt 0 ]; then
    printf '%-20s %8d %8d %8d %8d\n' "$module" "$unit" "$it" "$fail" "$skip"
  fi
  total_run=$((total_run + unit + it)) total_fail=$((total_fail + fail)) total_skip=$((total_skip + skip))
done
# The checks of scripts/fast-java-test.sh, and the end-to-end checks of scripts/e2e.sh,
# scripts/cluster-e2e.sh and scripts/multipool-e2e.sh,
# when scripts/test.sh ran them. (cluster-e2e once per routing mode: target/cluster-e2e-tunnel.log,
# -native.log, and in its mTLS mode, -mtls.log; multipool-e2e in tunnel mode.)
for log_name in fast-java-test e2e cluster-e2e-tunnel cluster-e2e-native cluster-e2e-mtls multipool-e2e-tunnel; do
  name=${log_name%-tunnel}
  name=${name%-native}
  name=${name%-mtls}
  log_file=target/$log_name.log
  if [ -f "$log_file" ] && e2e=$(grep -o "^$name: [0-9]* passed, [0-9]* failed" "$log_file" | tail -n 1); then
    passed=$(echo "$e2e" | cut -d' ' -f2) failed=$(echo "$e2e" | cut -d' ' -f4)
    # An aborted run counts as one more failure: the checks after the abort never ran.
    if grep -q "^$name: aborted" "$log_file"; then failed=$((failed + 1)); fi
    printf '%-20s %8s %8d %8d %8d\n' "scripts/$name.sh${log_name#"$name"}" - "$((passed + failed))" "$failed" 0
    total_run=$((total_run + passed + failed)) total_fail=$((total_fail + failed))
  fi
done
echo "tests: $((total_run - total_fail - total_skip)) passed, $total_fail failed, $total_skip skipped"
