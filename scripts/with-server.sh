#!/usr/bin/env bash
# Builds cybertrade, serves the bundled dataset from a temporary SQLite file (DATABASE_URL
# wins when set) on a free loopback port, waits until /readyz says ready, runs the given
# command with CYBERTRADE_URL (e.g. http://127.0.0.1:41234) and CYBERTRADE_PID set, and
# CYBERTRADE_CLI, a command line running the built binary on the server's database (e.g.
# `$CYBERTRADE_CLI token create --name ci --role editor`), stops the server and exits with
# the command's status. Extra server settings come from the
# environment (LIMIT_RATE_PER_MINUTE=0, LOG_LEVEL, ...).
#
#   scripts/with-server.sh node examples/defy.mjs        # the command sees $CYBERTRADE_URL
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tmp=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
(cd "$root" && go build -o "$tmp/cybertrade" .)
: >"$tmp/out"
SQLITE_PATH="$tmp/cybertrade.db" ADDR=127.0.0.1:0 LOG_LEVEL="${LOG_LEVEL:-warn}" \
  "$tmp/cybertrade" serve >"$tmp/out" 2>"$tmp/err" &
pid=$!
url=""
for _ in $(seq 1 300); do
  url=$(sed -n 's/.*listening on \(http:\/\/[^ ]*\).*/\1/p' "$tmp/out" || true)
  if [ -n "$url" ] && curl -fsS "$url/readyz" >/dev/null 2>&1; then break; fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.2
done
if [ -z "$url" ] || ! curl -fsS "$url/readyz" >/dev/null 2>&1; then
  echo "the server did not become ready:" >&2; cat "$tmp/err" >&2; exit 1
fi
cli="env SQLITE_PATH=$tmp/cybertrade.db $tmp/cybertrade"
export CYBERTRADE_URL="$url" CYBERTRADE_PID="$pid" CYBERTRADE_CLI="$cli"
status=0
"$@" || status=$?
exit "$status"
