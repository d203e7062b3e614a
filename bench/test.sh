#!/usr/bin/env bash
# npm test: set everything up (engine, registry binary, base images, Chromium), typecheck, then the unit,
# integration and browser suites. Ends with one line "N passed, N failed".
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"

bash bench/setup.sh || exit $?
CHROMIUM_PATH=$(bash bench/ensure-chromium.sh | tail -1) || exit $?
export CHROMIUM_PATH

echo "typecheck: tsc --noEmit"
npx tsc --noEmit -p . || { echo "0 passed, 1 failed"; exit 1; }

passed=0
failed=0
status=0
# uvu's own CLI under `node --import tsx`: tsx's ESM loader resolves execa's dependencies, which `uvu -r tsx` cannot.
for suite in "${@:-unit integration browser}"; do
  for s in $suite; do
    echo "== test/$s"
    log=$(mktemp)
    node --import tsx node_modules/uvu/bin.js "test/$s" 2>&1 | tee "$log"
    code=${PIPESTATUS[0]}
    p=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | awk '/Passed:/ {s+=$2} END {print s+0}')
    t=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | awk '/Total:/ {s+=$2} END {print s+0}')
    rm -f "$log"
    passed=$((passed + p))
    failed=$((failed + t - p))
    if [ "$code" != 0 ] || [ "$t" = 0 ]; then status=1; [ "$t" = "$p" ] && failed=$((failed + 1)); fi
  done
done
echo "$passed passed, $failed failed"
exit $status
