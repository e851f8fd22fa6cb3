#!/usr/bin/env bash
# Serves the bundled dataset (scripts/with-server.sh: a temporary SQLite file, or DATABASE_URL
# when set) with rate limiting off, holds CLIENTS (64) concurrent clients for DURATION (60s)
# with bench/soak (a mix of four GraphQL queries and two export downloads, actions.csv and
# dataset.json), prints its report, and stops the server.
#
#   bash bench/load.sh                      # 64 clients, 60 s
#   CLIENTS=16 DURATION=10s bash bench/load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/load" ./bench/soak
export LOAD_BIN="$tmp/load"
LIMIT_RATE_PER_MINUTE=0 scripts/with-server.sh sh -c \
  '"$LOAD_BIN" -url "$CYBERTRADE_URL/graphql" -c "${CLIENTS:-64}" -d "${DURATION:-60s}" -pid "$CYBERTRADE_PID" ${QUERY:+-query "$QUERY"}'
