# Stand-in for gcr.io/distroless/nodejs20-debian12: node, its shared libraries, CA certificates and users; no shell,
# no package manager. Same entrypoint as the official image.
FROM scratch
COPY rootfs/ /
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
    PATH=/nodejs/bin
LABEL org.stagebench.standin="gcr.io/distroless/nodejs20-debian12 (node and its libraries from Debian bookworm, not the official image)"
ENTRYPOINT ["/nodejs/bin/node"]
