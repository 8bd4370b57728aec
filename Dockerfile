# syntax=docker/dockerfile:1
#
# Breakwater image: build with the Swift toolchain, run on the same Debian release without it.
#
#   docker build -t breakwater:0.1.0 .
#   docker run --rm -p 127.0.0.1:8080:8080 -v breakwater-state:/var/lib/breakwater \
#     -e BREAKWATER_ADMIN_TOKEN=change-me breakwater:0.1.0
#
# Both stages are Debian 12 (bookworm): the binary links the runtime stage's shared libraries by
# their bookworm sonames. scripts/check-image.sh builds the same binary on a bookworm machine and
# checks that every library `ldd` lists comes from a package installed below (or from the base image).

ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

FROM ${SWIFT_IMAGE} AS build
# Versions are not pinned (DL3008): the packages come from the base image's Debian release, whose
# security updates we want on every rebuild; pinning exact versions breaks the build when they ship.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends libcurl4-openssl-dev zlib1g-dev libsqlite3-dev liblapacke-dev ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first, in their own layer: editing Sources/ does not refetch them.
# Package.* also picks up Package.resolved when the build context has one.
COPY Package.* ./
RUN swift package resolve
# Every target directory Package.swift names must exist, tests and benchmarks included.
COPY Sources ./Sources
COPY Tests ./Tests
COPY Benchmarks ./Benchmarks
# Static Swift standard library and Foundation: the runtime stage needs no Swift runtime.
# Stripped: symbol tables are about half of the file; crash backtraces then show addresses only.
RUN swift build -c release --static-swift-stdlib --product breakwater \
 && install -D -m 0755 "$(swift build -c release --static-swift-stdlib --show-bin-path)/breakwater" /out/breakwater \
 && strip /out/breakwater \
 && /out/breakwater --version

FROM ${RUNTIME_IMAGE}
# libsqlite3-0: GRDB links the system SQLite; liblapacke: LAPACK's C interface for the cross-market
# view's eigenvalues (it brings liblapack3, libblas3, libtmglib3 and libgfortran5). These are the
# libraries `ldd` lists beyond the base image's libc/libstdc++/libgcc. Unpinned for the same reason as above.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends libsqlite3-0 liblapacke \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --no-create-home \
      --home-dir /var/lib/breakwater --shell /usr/sbin/nologin breakwater \
 && install -d -o 10001 -g 10001 -m 0750 /var/lib/breakwater
COPY --from=build /out/breakwater /usr/local/bin/breakwater
# The trust store the HTTPS feeds and webhooks verify against: the build stage's Mozilla bundle (its
# ca-certificates package), the one file swift-nio-ssl's BoringSSL reads on Debian
# (/etc/ssl/certs/ca-certificates.crt). Installing ca-certificates here would also pull in openssl
# and libssl3 (the layer is 8.6 MB larger with them), which nothing in the binary uses: BoringSSL
# is linked in statically.
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
# The shipped config, storage under /var/lib/breakwater. Mount your own over this path
# (a ConfigMap in Kubernetes) or point BREAKWATER_CONFIG elsewhere.
COPY Deploy/container-config.json /etc/breakwater/config.json
# The config binds 127.0.0.1; in a container probes, Services and Prometheus come from outside
# the network namespace, so listen on every interface. Secrets (BREAKWATER_ADMIN_TOKEN, webhook
# secrets) are passed at run time, never baked in.
ENV BREAKWATER_CONFIG=/etc/breakwater/config.json \
    BREAKWATER_HOST=0.0.0.0 \
    BREAKWATER_PORT=8080 \
    BREAKWATER_LOG_FORMAT=json \
    BREAKWATER_LOG_LEVEL=info
USER 10001:10001
WORKDIR /var/lib/breakwater
VOLUME ["/var/lib/breakwater"]
EXPOSE 8080
# `breakwater healthcheck` GETs /healthz on $BREAKWATER_PORT: no curl in the image.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 CMD ["breakwater", "healthcheck", "--timeout", "3"]
ENTRYPOINT ["breakwater"]
CMD ["serve"]
