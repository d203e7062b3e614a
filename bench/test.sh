#!/usr/bin/env bash
# The project's tests, in two tiers (docs/testing.md). Every form ends with one line "N passed, N failed" and exits
# non-zero when anything failed.
#   bash bench/test.sh                 npm test: the fast tier. No engine, nothing installed: the compiled CLI (dist/),
#                                      then side by side the typecheck and the folder graph (npm run deps), and every
#                                      test under test/unit/ with DOCKER_HOST pointing nowhere, so a test there that
#                                      reaches an engine fails.
#   bash bench/test.sh all             npm run test:all: setup (engine, registry binary, base images, Chromium), the
#                                      fast tier, test/integration/ and test/browser/; then the ten slowest test files.
#   bash bench/test.sh integration [PATH...]   setup, then test/integration/ (or the folders or files given, e.g.
#                                      test/integration/build): npm run test:integration -- test/integration/build
#   bash bench/test.sh browser         setup's Chromium, then test/browser/.
# In test/integration/, files that name build-cold or build-ci (their preparation empties the engine's whole build
# cache and removes the scenario's images) run after all the others, and `all` first builds the shipped scenarios'
# images once (a kept run) so that the tests that only read them find them built.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"

tier=${1:-fast}
[ $# -gt 0 ] && shift
log=$(mktemp)
trap 'rm -f "$log"' EXIT
export STAGEBENCH_TEST_LOG=$log
status=0
step_failures=0

step() {
  local what=$1
  shift
  echo "== $what"
  if ! "$@"; then
    echo "== $what: FAILED"
    step_failures=$((step_failures + 1))
    status=1
  fi
}

# Runs test files in one process (test/support/run-tests.ts: uvu's queue, each file timed into $log).
run_files() {
  [ $# -gt 0 ] || return 0
  node --import tsx test/support/run-tests.ts "$@" || status=1
}

build_cli() {
  npx tsc -p tsconfig.build.json && touch dist/cli.js
}

# Starts "$@" in the background, its output and exit code kept under $jobs/NAME (shown by finish_jobs).
jobs=''
start_job() {
  local name=$1
  shift
  ( "$@" >"$jobs/$name.out" 2>&1; echo $? >"$jobs/$name.rc" ) &
}

# Waits for the jobs and prints each one's output whole, in the order given.
finish_jobs() {
  wait
  local name
  for name in "$@"; do cat "$jobs/$name.out"; done
}

# The fast tier. test/unit runs as two processes (test/unit/cli, whose tests start the CLI, and the rest) beside the
# typecheck, so that both cores work; the outputs are printed whole, one after the other.
fast_tier() {
  step "compiled CLI: tsc -p tsconfig.build.json" build_cli
  echo "== typecheck, folder graph and test/unit, side by side (no engine: DOCKER_HOST points nowhere)"
  jobs=$(mktemp -d)
  local others
  mapfile -t others < <(find test/unit -name '*.test.ts' -not -path 'test/unit/cli/*' | LC_ALL=C sort)
  # The folder graph's listing is shown only when it finds a loop.
  start_job checks bash -c 'echo "== typecheck: tsc --noEmit" && npx tsc --noEmit -p . &&
    echo "== folder graph: npm run deps" && { graph=$(node --import tsx bench/deps.ts src 2>&1) || { echo "$graph"; exit 1; }; }'
  start_job unit-cli env DOCKER_HOST=unix:///nonexistent/stagebench-fast-tier.sock node --import tsx test/support/run-tests.ts test/unit/cli
  start_job unit env DOCKER_HOST=unix:///nonexistent/stagebench-fast-tier.sock node --import tsx test/support/run-tests.ts "${others[@]}"
  finish_jobs checks unit-cli unit
  local name
  for name in checks unit-cli unit; do
    [ "$(cat "$jobs/$name.rc")" = 0 ] && continue
    echo "== $name: FAILED"
    status=1
    # A failed typecheck or folder graph counts as one failed test; a failed test file counts itself.
    [ "$name" != checks ] || step_failures=$((step_failures + 1))
  done
  rm -rf "$jobs"
}

setup_engine() {
  local before=$step_failures
  step "setup: bench/setup.sh" bash bench/setup.sh
  [ "$step_failures" = "$before" ]
}

setup_chromium() {
  local path
  path=$(bash bench/ensure-chromium.sh | tail -1) || { step_failures=$((step_failures + 1)); status=1; return 1; }
  export CHROMIUM_PATH=$path
}

# Integration test files: those that prune the build cache (they name build-cold or build-ci) after the others.
integration_files() {
  local files
  files=$(for p in "${@:-test/integration}"; do
    if [ -d "$p" ]; then find "$p" -name '*.test.ts'; else echo "$p"; fi
  done | LC_ALL=C sort)
  [ -n "$files" ] || return 0
  grep -LE 'build-cold|build-ci' $files
  grep -lE 'build-cold|build-ci' $files
}

# The shipped scenarios' single, multi and distroless images, built once and kept until the end, so that the tests
# that only read them (explain, scenarios, tune) build on a warm cache instead of from nothing.
fixture_run=''
build_fixture() {
  local out
  out=$(mktemp -d)/fixture
  echo "== fixture: the shipped scenarios' images (stagebench run --phase build-warm --keep-images)"
  if node dist/cli.js run --variant single,multi,distroless --phase build-warm --iterations 1 --warmup 0 --scanner none \
      --keep-images --out "$out" >"$out.log" 2>&1; then
    fixture_run=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).run_id)' "$out/run.json")
  else
    # Not a failure of the suite: each test still builds what it needs itself, only slower.
    echo "fixture: not built (the tests build their own images); its output:"
    tail -n 20 "$out.log"
  fi
  rm -rf "$(dirname "$out")"
}

remove_fixture() {
  [ -n "$fixture_run" ] || return 0
  local docker=/usr/bin/docker
  [ -x "$docker" ] || docker=docker
  local ids
  ids=$("$docker" images -q --filter "label=org.stagebench.run=$fixture_run" | sort -u)
  [ -z "$ids" ] || "$docker" rmi -f $ids >/dev/null 2>&1 || true
}

integration_tier() {
  local files
  mapfile -t files < <(integration_files "$@")
  echo "== test/integration (${#files[@]} files; those that prune the build cache last)"
  run_files "${files[@]}"
}

browser_tier() {
  echo "== test/browser"
  run_files test/browser
}

# Runs "$@" and keeps its wall clock for the closing lines.
timings=''
timed() {
  local name=$1 start=$SECONDS
  shift
  "$@"
  local rc=$?
  timings+="$(printf '%8s  %s' "$(( (SECONDS - start) / 60 ))m$(printf '%02d' $(( (SECONDS - start) % 60 )))s" "$name")"$'\n'
  return $rc
}

main() {
  case $tier in
    fast)
      timed "fast tier" fast_tier
      ;;
    all)
      if timed setup setup_engine && setup_chromium; then
        timed "fast tier" fast_tier
        timed "fixture: the shipped scenarios' images" build_fixture
        timed "integration tier" integration_tier
        remove_fixture
        timed "browser tier" browser_tier
      fi
      ;;
    integration)
      if setup_engine; then
        step "compiled CLI: tsc -p tsconfig.build.json" build_cli
        # The whole tier gets the shared fixture; one folder or file builds what it needs itself.
        [ $# -gt 0 ] || timed "fixture: the shipped scenarios' images" build_fixture
        timed "integration tier" integration_tier "$@"
        remove_fixture
      fi
      ;;
    browser)
      if setup_chromium; then
        step "compiled CLI: tsc -p tsconfig.build.json" build_cli
        timed "browser tier" browser_tier
      fi
      ;;
    *)
      echo "usage: bash bench/test.sh [fast|all|integration [PATH...]|browser]" >&2
      return 2
      ;;
  esac

  echo
  printf 'wall clock:\n%s' "$timings"
  if [ "$tier" = all ] && [ -s "$log" ]; then
    echo "slowest test files (seconds):"
    sort -t$'\t' -k1,1 -rn "$log" | head -10 | awk -F'\t' '{ printf "%8.1f  %s\n", $1, $4 }'
  fi
  local passed total failed
  passed=$(awk -F'\t' '{ s += $2 } END { print s + 0 }' "$log")
  total=$(awk -F'\t' '{ s += $3 } END { print s + 0 }' "$log")
  failed=$((total - passed + step_failures))
  # A runner that failed without a failed test to show for it (it crashed) still fails the tier.
  if [ "$status" != 0 ] && [ "$failed" = 0 ]; then failed=1; fi
  [ "$failed" = 0 ] || status=1
  echo "$passed passed, $failed failed"
  return $status
}

# One line, read whole before it runs: editing this file during a run cannot change what the run does next.
main "$@"; exit $?
