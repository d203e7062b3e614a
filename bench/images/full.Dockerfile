# Stand-in for node:20: the slim stand-in plus the build tools the official full image carries.
ARG BASE
FROM ${BASE}
RUN apt-get -o Acquire::Check-Valid-Until=false -o Acquire::Check-Date=false update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      build-essential python3 git curl ca-certificates openssh-client procps xz-utils \
 && rm -rf /var/lib/apt/lists/*
LABEL org.stagebench.standin="node:20 (Debian bookworm with build tools, not the official image)"
