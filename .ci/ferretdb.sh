#!/usr/bin/env bash
# Starts a throwaway FerretDB 1.24 (MongoDB wire protocol, SQLite backend) on loopback for tests.
# Meant to be sourced:  source .ci/ferretdb.sh
# Afterwards MONGODB_URI points at it, and `ferretdb_stop` (also run by an EXIT trap) stops it and removes its
# state. A script that sets its own EXIT trap after sourcing this must call ferretdb_stop from it.

FERRETDB_VERSION="${FERRETDB_VERSION:-v1.24.2}"
FERRETDB_CACHE="${FERRETDB_CACHE:-$HOME/.cache/cscx-ferretdb}"
FERRETDB_BIN="$FERRETDB_CACHE/bin/ferretdb"
FERRETDB_START_TIMEOUT_S="${FERRETDB_START_TIMEOUT_S:-30}"

# A binary made by plain `go install ...@v1.24.2` panics at start-up ("Invalid build/version/version.txt"):
# FerretDB embeds its version from a generated file that the published module does not contain, and recent Go
# toolchains report the FerretDB module as the main module, so that check runs. So we build from a scratch copy
# of the module with that one file written, and only trust a cached binary that answers --version.
ferretdb_build() {
  command -v go >/dev/null || { echo "ferretdb.sh: Go is needed to build FerretDB" >&2; return 1; }
  local module_dir work
  module_dir="$(go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')" || return 1
  [ -d "$module_dir" ] || { echo "ferretdb.sh: could not download the FerretDB module" >&2; return 1; }
  work="$(mktemp -d)"
  cp -R "$module_dir/." "$work/" && chmod -R u+w "$work" &&
    echo "$FERRETDB_VERSION" > "$work/build/version/version.txt" &&
    mkdir -p "$FERRETDB_CACHE/bin" &&
    (cd "$work" && GOFLAGS=-buildvcs=false go build -trimpath -o "$FERRETDB_BIN.tmp.$$" ./cmd/ferretdb) &&
    mv -f "$FERRETDB_BIN.tmp.$$" "$FERRETDB_BIN"
  local status=$?
  rm -rf "$work" "$FERRETDB_BIN.tmp.$$"
  return $status
}

ferretdb_ensure_binary() {
  if "$FERRETDB_BIN" --version >/dev/null 2>&1; then return 0; fi
  echo "ferretdb.sh: building FerretDB $FERRETDB_VERSION into $FERRETDB_BIN (once; takes a few minutes)" >&2
  ferretdb_build && "$FERRETDB_BIN" --version >/dev/null 2>&1 ||
    { echo "ferretdb.sh: FerretDB build failed" >&2; return 1; }
}

# Asks the kernel for a free loopback port; someone may take it before FerretDB does, hence the retries below.
ferretdb_free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

ferretdb_accepts_connections() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

ferretdb_stop() {
  if [ -n "${FERRETDB_PID:-}" ]; then
    # `|| true`: the killed process's status must not become ours under `set -e`.
    kill "$FERRETDB_PID" 2>/dev/null && wait "$FERRETDB_PID" 2>/dev/null || true
    FERRETDB_PID=""
  fi
  if [ -n "${FERRETDB_STATE_DIR:-}" ] && [ "${FERRETDB_KEEP_STATE:-}" != 1 ]; then
    rm -rf "$FERRETDB_STATE_DIR"
    FERRETDB_STATE_DIR=""
  fi
  return 0
}

# Starts FerretDB on a free port and waits until it accepts connections; exports MONGODB_URI.
ferretdb_start() {
  ferretdb_ensure_binary || return 1
  FERRETDB_STATE_DIR="$(mktemp -d "${TMPDIR:-/tmp}/cscx-ferretdb.XXXXXX")"
  FERRETDB_LOG="$FERRETDB_STATE_DIR/ferretdb.log"
  mkdir -p "$FERRETDB_STATE_DIR/data"
  local attempt port waited
  for attempt in 1 2 3; do
    port="$(ferretdb_free_port)" || return 1
    DO_NOT_TRACK=1 "$FERRETDB_BIN" \
      --handler=sqlite --sqlite-url="file:$FERRETDB_STATE_DIR/data/" --state-dir="$FERRETDB_STATE_DIR" \
      --listen-addr="127.0.0.1:$port" --debug-addr=- --telemetry=disable --log-level=info \
      >>"$FERRETDB_LOG" 2>&1 &
    FERRETDB_PID=$!
    waited=0
    while kill -0 "$FERRETDB_PID" 2>/dev/null && [ "$waited" -lt $((FERRETDB_START_TIMEOUT_S * 10)) ]; do
      if ferretdb_accepts_connections "$port"; then
        # FERRETDB_BIN lets tests start instances of their own (e.g. to stop and restart one).
        export FERRETDB_BIN FERRETDB_PORT="$port" MONGODB_URI="mongodb://127.0.0.1:$port/"
        echo "ferretdb.sh: FerretDB $FERRETDB_VERSION listening at $MONGODB_URI (log: $FERRETDB_LOG)" >&2
        return 0
      fi
      sleep 0.1
      waited=$((waited + 1))
    done
    if kill -0 "$FERRETDB_PID" 2>/dev/null; then break; fi # alive but silent: a retry will not help
    wait "$FERRETDB_PID" 2>/dev/null || true
    echo "ferretdb.sh: FerretDB exited on start (attempt $attempt, port $port)" >&2
  done
  echo "ferretdb.sh: FerretDB did not accept connections within ${FERRETDB_START_TIMEOUT_S}s; log tail:" >&2
  tail -n 30 "$FERRETDB_LOG" >&2
  FERRETDB_KEEP_STATE=0 ferretdb_stop
  return 1
}

trap ferretdb_stop EXIT
ferretdb_start || return 1 2>/dev/null || exit 1
