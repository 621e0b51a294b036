#!/usr/bin/env bash
# Runs the dev Kubernetes API server (fabric8's mock server in CRUD mode behind a front that
# serves what kubectl needs) in the foreground, until Ctrl-C or SIGTERM.
#
#   scripts/dev-apiserver.sh                                  127.0.0.1:6443, kubeconfig in .demo/kubeconfig
#   scripts/dev-apiserver.sh --port 7443 --kubeconfig /tmp/kc
#   export KUBECONFIG=.demo/kubeconfig; kubectl apply -f helm/jcilium/crds/
#
# It prints "dev-apiserver ready on http://..." once it answers. The jar is built when
# missing (./mvnw -pl dev-apiserver -am package). See docs/dev-apiserver.md.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"

args=("$@")
has_kubeconfig=false
for arg in "${args[@]}"; do
  [ "$arg" = "--kubeconfig" ] && has_kubeconfig=true
done
if ! $has_kubeconfig; then
  args+=(--kubeconfig "$REPO_ROOT/.demo/kubeconfig")
fi

jar=$(runnable_jar dev-apiserver)
if [ -z "$jar" ]; then
  log "building the dev API server (./mvnw -pl dev-apiserver -am package)" >&2
  ./mvnw -B -q -DskipTests -pl dev-apiserver -am package >&2
  jar=$(runnable_jar dev-apiserver)
fi

# A dev tool: C1 only and a small serial heap start it in about a second.
# shellcheck disable=SC2086 # DEVAPI_JAVA_OPTS is a list of options on purpose
exec java ${DEVAPI_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k} -jar "$jar" "${args[@]}"
