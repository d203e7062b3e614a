#!/usr/bin/env bash
# stagebench setup: idempotent, quick when everything is already there.
#   1. node dependencies (npm ci when node_modules is missing or stale)
#   2. a Docker engine that answers; on Debian as root, install and start one when none does
#   3. the registry binary used by the embedded registry (Debian's docker-registry)
#   4. base images: the official ones when they can be pulled, else offline stand-ins built from Debian packages
# Exit codes follow the CLI: 0 ready, 3 the environment is missing something this script cannot provide.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
state_dir=${STAGEBENCH_STATE_DIR:-/var/lib/stagebench}
log_dir=${STAGEBENCH_LOG_DIR:-/var/log/stagebench}
mkdir -p "$log_dir" 2>/dev/null || log_dir=$(mktemp -d)

say() { printf 'setup: %s\n' "$*"; }
fail_env() { printf 'setup: error: %s\n' "$*" >&2; exit 3; }
is_root() { [ "$(id -u)" = 0 ]; }
is_debian() { [ -f /etc/debian_version ] && command -v apt-get >/dev/null 2>&1; }

apt_updated=0
# apt_install [--with-recommends] PACKAGE...
apt_install() {
  local recommends=--no-install-recommends
  if [ "${1:-}" = --with-recommends ]; then recommends=; shift; fi
  if [ $apt_updated = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $recommends "$@" >/dev/null
}

# --- 1. node dependencies ------------------------------------------------------------------------------------
# An installed package (npm i stagebench) has its dependencies from the project that installed it, and no lockfile.
if [ -f package-lock.json ] && { [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; }; then
  say "installing node dependencies (npm ci)"
  npm ci --no-audit --no-fund >/dev/null
fi

# --- 2. Docker engine ------------------------------------------------------------------------------------------
# The Debian engine ships its own 20.10 CLI in /usr/bin; prefer it because it can do BuildKit builds without buildx.
docker_bin() { if [ -x /usr/bin/docker ]; then echo /usr/bin/docker; else command -v docker || echo docker; fi; }
docker_cli() { "$(docker_bin)" "$@"; }
engine_answers() { timeout 10 "$(docker_bin)" version --format '{{.Server.Version}}' >/dev/null 2>&1; }

if engine_answers; then
  say "engine: $(docker_cli version --format '{{.Server.Version}} (API {{.Server.APIVersion}})') answers, using it as it is"
else
  if [ -n "${DOCKER_HOST:-}" ]; then
    fail_env "DOCKER_HOST=$DOCKER_HOST is set but no engine answers there. Start that engine, or unset DOCKER_HOST to use a local one."
  fi
  if ! is_root || ! is_debian; then
    fail_env "no Docker engine answers. Start Docker (Docker Desktop, or 'sudo systemctl start docker'), or run this setup as root on Debian to install one, then run 'npm run setup' again."
  fi
  if ! command -v dockerd >/dev/null 2>&1 || [ ! -x /usr/bin/docker ]; then
    say "installing Debian's Docker engine (docker.io)"
    apt_install --with-recommends docker.io || fail_env "apt-get install docker.io failed; install a Docker engine by hand and run 'npm run setup' again."
  fi
  mkdir -p "$log_dir"
  say "starting dockerd (host networking: --bridge=none), log in $log_dir/dockerd.log"
  # Bridge networking needs iptables and a bridge device this kind of machine lacks; builds and containers use the
  # host's network instead (the harness sets network mode 'host' everywhere).
  setsid nohup dockerd --bridge=none --iptables=false --ip-masq=false \
    >"$log_dir/dockerd.log" 2>&1 </dev/null &
  for _ in $(seq 1 60); do
    engine_answers && break
    sleep 0.5
  done
  engine_answers || fail_env "dockerd did not answer within 30 s; see $log_dir/dockerd.log"
  say "engine: $(docker_cli version --format '{{.Server.Version}} (API {{.Server.APIVersion}})') started"
fi

# --- 3. registry binary ---------------------------------------------------------------------------------------
if command -v docker-registry >/dev/null 2>&1 || command -v registry >/dev/null 2>&1; then
  :
elif is_root && is_debian; then
  say "installing Debian's docker-registry (for the embedded registry)"
  apt_install docker-registry || say "warning: docker-registry could not be installed; push and pull phases will need --registry HOST"
else
  say "warning: no registry binary (docker-registry or registry) on PATH; push and pull phases will use a registry:2 container if it can be pulled, or need --registry HOST"
fi

# --- 4. base images ---------------------------------------------------------------------------------------------
image_present() { docker_cli image inspect "$1" >/dev/null 2>&1; }
profile_images() { node -e 'const p=require(process.argv[1]);for(const v of Object.values(p.images))console.log(v)' "$1"; }

online_ready=1
for img in $(profile_images "$here/bench/profiles/online.json"); do
  if image_present "$img"; then continue; fi
  if [ "${STAGEBENCH_PROFILE:-auto}" = offline ]; then online_ready=0; break; fi
  say "pulling $img"
  if ! timeout 600 "$(docker_bin)" pull -q "$img" >/dev/null 2>"$log_dir/pull.err"; then
    say "cannot pull $img ($(tail -c 200 "$log_dir/pull.err" | tr '\n' ' ')); using the offline profile"
    online_ready=0
    break
  fi
done
if [ $online_ready = 1 ]; then
  say "profile: online (official base images present)"
  exit 0
fi

if bash "$here/bench/images/build-offline.sh" --check; then
  say "profile: offline (stand-in base images present)"
  exit 0
fi

is_root && is_debian || fail_env "the official base images cannot be pulled and the offline stand-ins can only be built as root on Debian. Pull node:20, node:20-slim, node:20-alpine and gcr.io/distroless/nodejs20-debian12, then run 'npm run setup' again."
bash "$here/bench/images/build-offline.sh" "$state_dir" || fail_env "building the offline base images failed (see above)"
say "profile: offline (stand-in base images built)"
