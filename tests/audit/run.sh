#!/usr/bin/env bash
# Serves cybertrade over a temporary SQLite file (scripts/with-server.sh), runs the
# graphql-http server audits against it (tests/audit/audit.mjs) and stops it. Exits non-zero
# on any audit error or warning. Needs Go, Node 18+ and npm.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --silent
../../scripts/with-server.sh sh -c 'node audit.mjs "$CYBERTRADE_URL/graphql"'
