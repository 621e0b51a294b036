#!/usr/bin/env bash
# Kept for older instructions: the console's launcher is scripts/jcilium (linked onto the
# PATH as `jcilium` by scripts/setup.sh); this runs it with the same arguments.
exec "$(dirname "${BASH_SOURCE[0]}")/jcilium" "$@"
