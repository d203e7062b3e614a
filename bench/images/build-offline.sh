#!/usr/bin/env bash
# Builds the offline profile's stand-in base images (bench/profiles/offline.json) from Debian packages, for machines
# that reach no image registry. Needs root, debootstrap, a Debian apt mirror and a Node.js 20 on the host.
#   stagebench-offline/node:20-slim                        Debian minbase + the host's node and npm
#   stagebench-offline/node:20-not-alpine-debian-slim      the same image: alpine's packages cannot be had offline
#   stagebench-offline/node:20                             slim + build-essential, python3, git, curl (like node:20)
#   stagebench-offline/distroless-nodejs20-debian12:standin  node, its shared libraries, CA certificates, passwd; no shell
# Every image trusts the machine's CA bundle, so npm works through a TLS-intercepting proxy inside builds.
set -euo pipefail

# --check: exit 0 when every stand-in is present and made by the current recipe, 1 otherwise; builds nothing.
check_only=0
if [ "${1:-}" = --check ]; then check_only=1; shift; fi
state_dir=${1:-/var/lib/stagebench}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=offline
say() { printf 'setup: %s\n' "$*"; }
docker_cli() { if [ -x /usr/bin/docker ]; then /usr/bin/docker "$@"; else docker "$@"; fi; }
# The legacy builder is enough here and needs no buildx plugin on any CLI.
build() { DOCKER_BUILDKIT=0 docker_cli build -q --network host "$@" >/dev/null; }
# Stand-ins carry the version of this script's recipe; setup rebuilds a stand-in made by an older recipe.
standin_version=3
distroless_version=3
present() { docker_cli image inspect "$1" >/dev/null 2>&1; }
recipe_of() { case "$1" in *distroless*) echo "$distroless_version" ;; *) echo "$standin_version" ;; esac; }
current() { [ "$(docker_cli image inspect -f '{{ index .Config.Labels "org.stagebench.standin-version" }}' "$1" 2>/dev/null)" = "$(recipe_of "$1")" ]; }

slim=stagebench-offline/node:20-slim
full=stagebench-offline/node:20
distroless=stagebench-offline/distroless-nodejs20-debian12:standin
if [ $check_only = 1 ]; then
  for img in "$slim" "$full" "$distroless" stagebench-offline/node:20-not-alpine-debian-slim; do current "$img" || exit 1; done
  exit 0
fi

node_bin=$(readlink -f "$(command -v node)")
node_major=$("$node_bin" -p 'process.versions.node.split(".")[0]')
[ "$node_major" = 20 ] || { echo "setup: error: the host's node is $("$node_bin" --version); the stand-ins need Node.js 20" >&2; exit 3; }
npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
[ -f "$npm_dir/package.json" ] || npm_dir=/usr/lib/node_modules/npm
# corepack ships with Node.js 20 beside npm: the official images carry it, and it brings yarn and pnpm.
corepack_dir=$(dirname "$npm_dir")/corepack
[ -f "$corepack_dir/package.json" ] || { echo "setup: error: no corepack beside npm at $corepack_dir (it ships with Node.js 20)" >&2; exit 3; }
ca_bundle=/etc/ssl/certs/ca-certificates.crt
[ -f "$ca_bundle" ] || { echo "setup: error: no CA bundle at $ca_bundle" >&2; exit 3; }

command -v debootstrap >/dev/null 2>&1 || {
  say "installing debootstrap"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
}

# The mirror is the one this machine's apt already uses.
mirror=$( { grep -rhoE '^(URIs:|deb)\s+https?://[^ ]+' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null || true; } \
  | awk '{print $2}' | grep -E '/debian/?$' | head -1)
[ -n "$mirror" ] || { echo "setup: error: no Debian mirror found in /etc/apt/sources.list*" >&2; exit 3; }

work=$(mktemp -d "${TMPDIR:-/tmp}/stagebench-images.XXXXXX")
trap 'rm -rf "$work"' EXIT

minbase=stagebench-offline/debian-minbase:bookworm
if ! present "$minbase"; then
  say "debootstrap bookworm minbase (about 30 s)"
  mkdir -p "$state_dir"
  debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; exit 3; }
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
  tar -C "$work/rootfs" -c . | docker_cli import -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$minbase" >/dev/null
  rm -rf "$work/rootfs"
fi

# Shared context: the host's node, npm and CA bundle.
ctx="$work/node-ctx"
mkdir -p "$ctx"
cp "$node_bin" "$ctx/node"
cp -a "$npm_dir" "$ctx/npm"
cp -a "$corepack_dir" "$ctx/corepack"
cp "$ca_bundle" "$ctx/host-ca.crt"
# Node's C headers, where the official images keep them: native addons (node-gyp) compile against them offline.
node_include=$(dirname "$(dirname "$node_bin")")/include/node
[ -d "$node_include" ] || node_include=/usr/include/node
[ -f "$node_include/node.h" ] || { echo "setup: error: no Node.js headers (node.h) at $node_include; install the host's Node.js headers" >&2; exit 3; }
cp -a "$node_include" "$ctx/include-node"

if ! current "$slim"; then
  say "building $slim"
  cp "$here/slim.Dockerfile" "$ctx/Dockerfile"
  # A registry proxy that strips npm's package signatures makes corepack refuse every download ("No compatible
  # signature found"); only then do the stand-ins skip that check, and say so in a label.
  if ! COREPACK_ENABLE_DOWNLOAD_PROMPT=0 COREPACK_HOME="$work/corepack-probe" timeout 120 corepack yarn@1.22.22 --version >/dev/null 2>"$work/corepack.err" \
     && grep -q 'signature' "$work/corepack.err"; then
    say "corepack cannot verify package signatures through this machine's registry: the stand-ins set COREPACK_INTEGRITY_KEYS=0"
    printf 'ENV COREPACK_INTEGRITY_KEYS=0\nLABEL org.stagebench.corepack="signature check off: the registry here strips signatures"\n' >>"$ctx/Dockerfile"
  fi
  build -t "$slim" --build-arg "BASE=$minbase" --label "org.stagebench.standin-version=$standin_version" "$ctx"
fi
docker_cli tag "$slim" stagebench-offline/node:20-not-alpine-debian-slim

if ! current "$full"; then
  say "building $full (build-essential, python3, git, curl; about 30 s)"
  build -t "$full" --build-arg "BASE=$slim" --label "org.stagebench.standin-version=$standin_version" -f "$here/full.Dockerfile" "$here"
fi

if ! current "$distroless"; then
  say "building $distroless"
  dl="$work/distroless"
  root="$dl/rootfs"
  mkdir -p "$root/nodejs/bin" "$root/etc/ssl/certs" "$root/tmp" "$root/home/nonroot" "$root/var/lib/dpkg/status.d"
  chmod 1777 "$root/tmp"
  cp "$node_bin" "$root/nodejs/bin/node"
  cp "$ca_bundle" "$root/etc/ssl/certs/ca-certificates.crt"
  # The shared libraries node loads, at the paths the loader looks for them.
  for lib in $(ldd "$node_bin" | grep -oE '/[^ ]+'); do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
  # dpkg records as distroless keeps them (status.d), so scanners see the OS packages the image carries.
  for lib in $(ldd "$node_bin" | grep -oE '/[^ ]+'); do
    # dpkg knows a file by the path its package ships (/lib/... on merged-/usr Debian), not always the resolved one.
    pkg=$( { dpkg -S "$lib" 2>/dev/null || dpkg -S "$(readlink -f "$lib")" 2>/dev/null; } | head -1 | cut -d: -f1) || true
    [ -n "$pkg" ] && dpkg -s "$pkg" >"$root/var/lib/dpkg/status.d/$pkg" 2>/dev/null || true
  done
  dpkg -s ca-certificates >"$root/var/lib/dpkg/status.d/ca-certificates" 2>/dev/null || true
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n' >"$root/etc/group"
  chown 65532:65532 "$root/home/nonroot"
  cp "$here/distroless.Dockerfile" "$dl/Dockerfile"
  build -t "$distroless" --label "org.stagebench.standin-version=$distroless_version" "$dl"
  # The point of the image: no shell. Fail setup rather than ship a stand-in that has one.
  if docker_cli run --rm --network host --entrypoint /bin/sh "$distroless" -c true >/dev/null 2>&1; then
    echo "setup: error: $distroless has a shell" >&2; exit 3
  fi
fi
say "offline stand-ins ready: $slim, $full, $distroless"
