#!/usr/bin/env bash
# Builds cybertrade, serves the bundled dataset from a temporary SQLite file (or DATABASE_URL
# when set) on a free loopback port with rate limiting off, holds CLIENTS (64) concurrent
# clients for DURATION (60s) with bench/load, prints its report, and stops the server.
#
#   bash bench/load.sh                      # 64 clients, 60 s
#   CLIENTS=16 DURATION=10s bash bench/load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
go build -o "$tmp/cybertrade" .
go build -o "$tmp/load" ./bench/load
SQLITE_PATH="$tmp/bench.db" ADDR=127.0.0.1:0 LOG_LEVEL=warn LIMIT_RATE_PER_MINUTE=0 \
  "$tmp/cybertrade" >"$tmp/out" 2>"$tmp/err" &
pid=$!
addr=""
for _ in $(seq 1 150); do
  addr=$(grep -o '127\.0\.0\.1:[0-9]*' "$tmp/out" 2>/dev/null | head -n1 || true)
  if [ -n "$addr" ] && curl -fsS "http://$addr/readyz" >/dev/null 2>&1; then break; fi
  sleep 0.2
done
curl -fsS "http://$addr/readyz" >/dev/null
"$tmp/load" -url "http://$addr/graphql" -c "${CLIENTS:-64}" -d "${DURATION:-60s}" -pid "$pid" ${QUERY:+-query "$QUERY"}
