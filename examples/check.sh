#!/usr/bin/env bash
# Runs every example against the server at $CYBERTRADE_URL (started by scripts/with-server.sh,
# which also sets $CYBERTRADE_CLI) and checks what each prints:
#   - defy.py, defy.mjs, defy.R and the TypeScript example (ts/, built with its generated types)
#     must hold the LinkedIn row (DEFY in Russia, answered by an IMPORT_BARRIER) and name the
#     dataset release they read (extensions.dataset.version);
#   - matrix.py must draw its heatmap to a PNG and find the paged matrix equal to the server's
#     stats.actionResponseMatrix.
# Every example pages with cursors: the table examples ask 10 rows a page (a page of the DEFY
# question costs 161; release 1.2.0 has 15 such pages), the matrix 20 (201 a page, after a
# stats query of 6).
# With CHECK_RATE_LIMIT=1 (the server started with LIMIT_RATE_PER_MINUTE=900, five pages a
# minute) each runs under its own API token (its own budget) and must meet a 429 and wait as
# Retry-After says; they start early in a clock minute (budgets are per clock minute) and run
# side by side, so the whole check waits about three minutes.
# Needs python3 with pandas and matplotlib, node and npm, Rscript with jsonlite and curl.
set -euo pipefail
cd "$(dirname "$0")"
: "${CYBERTRADE_URL:?run me through scripts/with-server.sh}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -x ts/node_modules/.bin/tsc ]; then (cd ts && npm ci --no-audit --no-fund --loglevel=error >/dev/null); fi
(cd ts && npm run --silent build)

# Debian's python3-pandas and python3-matplotlib serve /usr/bin/python3, which another python3
# first in PATH (pyenv, a venv) may not see.
py=python3
if ! python3 -c 'import pandas, matplotlib' 2>/dev/null && /usr/bin/python3 -c 'import pandas, matplotlib' 2>/dev/null; then
  py=/usr/bin/python3
fi

names=(python node R typescript matrix)
cmds=("python3 defy.py" "node defy.mjs" "Rscript defy.R" "node ts/dist/defy.js" "$py matrix.py --out $tmp/matrix.png")
pages=(10 10 10 10 20)
tokens=()
for name in "${names[@]}"; do
  if [ "${CHECK_RATE_LIMIT:-0}" = 1 ]; then
    tokens+=("$($CYBERTRADE_CLI token create --name "example-$name-$$" --role editor | tail -n 1)")
  else
    tokens+=("")
  fi
done
if [ "${CHECK_RATE_LIMIT:-0}" = 1 ] && [ "$(date +%S | sed 's/^0//')" -ge 40 ]; then
  sleep $((61 - $(date +%S | sed 's/^0//'))) # start in a fresh minute, so that the budget runs out mid-run
fi
pids=()
for i in "${!names[@]}"; do
  CYBERTRADE_TOKEN="${tokens[$i]}" CYBERTRADE_PAGE_SIZE="${pages[$i]}" ${cmds[$i]} "$CYBERTRADE_URL" \
    >"$tmp/${names[$i]}.out" 2>"$tmp/${names[$i]}.err" &
  pids+=($!)
done
fail=0
for i in "${!names[@]}"; do
  name=${names[$i]}
  status=0
  wait "${pids[$i]}" || status=$?
  echo "\$ ${cmds[$i]} $CYBERTRADE_URL"
  cat "$tmp/$name.out"; cat "$tmp/$name.err" >&2
  if [ "$status" != 0 ]; then echo "$name: exit status $status"; fail=1; continue; fi
  if [ "$name" = matrix ]; then
    grep -q 'matches stats.actionResponseMatrix; dataset release [0-9]' "$tmp/$name.out" && [ -s "$tmp/matrix.png" ] &&
      [ "$(head -c 8 "$tmp/matrix.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
      { echo "$name: no PNG, or the matrix does not match the server's"; fail=1; }
  else
    grep -Eq 'LinkedIn +RU +2017-03 .*IMPORT_BARRIER +2017-03' "$tmp/$name.out" ||
      { echo "$name: the LinkedIn / RU row (DEFY, answered by IMPORT_BARRIER) is missing"; fail=1; }
    grep -Eq '^[0-9]+ row\(s\); dataset release [0-9]+\.[0-9]+\.[0-9]+$' "$tmp/$name.out" ||
      { echo "$name: no row count with the dataset release"; fail=1; }
  fi
  if [ "${CHECK_RATE_LIMIT:-0}" = 1 ] && ! grep -q '429, waiting [0-9]* s as Retry-After says' "$tmp/$name.err"; then
    echo "$name: never met a 429 under the small rate limit"; fail=1
  fi
done
exit "$fail"
