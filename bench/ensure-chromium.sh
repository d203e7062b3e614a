#!/usr/bin/env bash
# Makes sure a Chromium exists for the report's browser test, and prints its path.
# Idempotent and quick when one is present; installs Debian's chromium package when missing (as root, with apt-get).
# Exit codes follow the CLI: 0 ready (the path is printed on stdout), 3 no Chromium and none can be installed here.
set -euo pipefail

say() { printf 'ensure-chromium: %s\n' "$*" >&2; }
fail_env() { printf 'ensure-chromium: error: %s\n' "$*" >&2; exit 3; }

# The browser test opens /usr/bin/chromium; CHROMIUM_PATH lets a machine with Chromium elsewhere point at it.
find_chromium() {
  local candidate
  for candidate in "${CHROMIUM_PATH:-}" /usr/bin/chromium; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if path=$(find_chromium); then
  echo "$path"
  exit 0
fi

[ "$(id -u)" = 0 ] || fail_env "no Chromium at /usr/bin/chromium and this script is not root, so it cannot install one. Run it as root, or install Chromium and set CHROMIUM_PATH to its executable."
command -v apt-get >/dev/null 2>&1 || fail_env "no Chromium at /usr/bin/chromium and no apt-get to install Debian's chromium. Install Chromium and set CHROMIUM_PATH to its executable."

say "installing Debian's chromium (a minute or two)"
log=$(mktemp)
# Another engineer or CI step may hold the dpkg lock; wait for it rather than fail.
if ! DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq >"$log" 2>&1 ||
   ! DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends \
       chromium fonts-liberation >>"$log" 2>&1; then
  tail -n 20 "$log" >&2
  rm -f "$log"
  fail_env "apt-get install chromium failed (output above). Install Chromium by hand and set CHROMIUM_PATH to its executable."
fi
rm -f "$log"

path=$(find_chromium) || fail_env "chromium was installed but /usr/bin/chromium is missing; set CHROMIUM_PATH to its executable."
echo "$path"
