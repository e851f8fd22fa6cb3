#!/usr/bin/env bash
# Serves cybertrade over a temporary SQLite file (scripts/with-server.sh) and checks its data
# package (tests/datapackage/check.js): the descriptor against the published Tabular Data
# Package profile, then every CSV read through it by datapackage-js. Needs Go, Node 18+, npm.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --silent
LIMIT_RATE_PER_MINUTE=0 ../../scripts/with-server.sh sh -c 'node check.js "$CYBERTRADE_URL/export/datapackage.json"'
