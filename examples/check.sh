#!/usr/bin/env bash
# Runs both examples against the server at $CYBERTRADE_URL and checks that their tables hold
# the LinkedIn row: DEFY in Russia, answered by an IMPORT_BARRIER. Used by .ci/run through
# scripts/with-server.sh.
set -euo pipefail
cd "$(dirname "$0")"
for example in "python3 defy.py" "node defy.mjs"; do
  echo "\$ $example $CYBERTRADE_URL"
  out=$($example "$CYBERTRADE_URL")
  echo "$out"
  if ! echo "$out" | grep -Eq '^LinkedIn +RU +2017-03 .*IMPORT_BARRIER +2017-03'; then
    echo "$example: the LinkedIn / RU row (DEFY, answered by IMPORT_BARRIER) is missing"; exit 1
  fi
done
