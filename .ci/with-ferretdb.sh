#!/usr/bin/env bash
# Runs one command with a throwaway FerretDB behind MONGODB_URI, e.g.  bash .ci/with-ferretdb.sh npm test
set -uo pipefail
[ $# -gt 0 ] || { echo "usage: bash .ci/with-ferretdb.sh <command> [args...]" >&2; exit 2; }
source "$(dirname "${BASH_SOURCE[0]}")/ferretdb.sh" || exit 1
"$@"
