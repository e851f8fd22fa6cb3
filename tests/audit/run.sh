#!/usr/bin/env bash
# Builds cybertrade, serves it over a temporary SQLite file on a free loopback port, runs the
# graphql-http server audits against it (tests/audit/audit.mjs) and stops it. Exits non-zero
# on any audit error or warning. Needs Go, Node 18+ and npm.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
npm ci --no-audit --no-fund --silent
(cd ../.. && go build -o "$tmp/cybertrade" .)
SQLITE_PATH="$tmp/audit.db" ADDR=127.0.0.1:0 LOG_LEVEL=warn "$tmp/cybertrade" >"$tmp/out" 2>"$tmp/err" &
pid=$!
addr=""
for _ in $(seq 1 100); do
  addr=$(grep -o '127\.0\.0\.1:[0-9]*' "$tmp/out" 2>/dev/null | head -n1 || true)
  if [ -n "$addr" ] && curl -fsS "http://$addr/readyz" >/dev/null 2>&1; then break; fi
  sleep 0.2
done
if ! curl -fsS "http://$addr/readyz" >/dev/null 2>&1; then
  echo "the server did not become ready"; cat "$tmp/err"; exit 1
fi
node audit.mjs "http://$addr/graphql"
