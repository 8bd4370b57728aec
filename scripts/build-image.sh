#!/usr/bin/env bash
# Builds the container image from ./Dockerfile with podman, on a machine without a Docker engine or
# a reachable registry (Debian 12 with Swift, as CI):
#   1. installs podman, runc and debootstrap with apt-get when missing;
#   2. creates the runtime stage's base, localhost/debian:bookworm-slim, when missing: a debootstrap
#      minbase slimmed the way the official -slim variant is (no docs, man pages, locales, apt lists
#      or caches; dpkg and apt configured to keep it so), Debian's security and updates suites;
#   3. builds the release binary on the host exactly as the Dockerfile's build stage does (static Swift
#      stdlib, stripped, --version runs); incremental, so an existing release build is reused;
#   4. builds the Dockerfile's runtime stage with that binary standing in for the build stage
#      (--build-context build=DIR: DIR/out/breakwater is the stage's /out/breakwater, and
#      DIR/etc/ssl/certs/ca-certificates.crt its CA bundle, from Debian's ca-certificates package
#      installed in a throwaway container of the base: never this machine's own trust store);
#   5. prints the base's and the image's sizes and `podman history`.
# Usage: scripts/build-image.sh [IMAGE]   (default breakwater:dev)
# Exits 0 when built; 77 with one line "image: SKIPPED: <reason>" when this environment cannot build
# or run images (no root to install podman, no Debian mirror, podman cannot start a container);
# otherwise non-zero with "build-image: FAIL: ..." (a real failure of the Dockerfile or the binary).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
# shellcheck source=scripts/podman-common.sh
source scripts/podman-common.sh
IMAGE=${1:-$IMAGE}
fail() { echo "build-image: FAIL: $*" >&2; exit 1; }
note() { echo "build-image: $*"; }
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null || skip "not root and no password-less sudo (podman with runc and debootstrap need root here)"
  SUDO="sudo"
fi

# --- 1. Tools -------------------------------------------------------------------------------------
need=()
for t in podman runc debootstrap; do command -v "$t" >/dev/null 2>&1 || need+=("$t"); done
if [ ${#need[@]} -gt 0 ]; then
  note "installing ${need[*]} (Debian)"
  $SUDO apt-get update -qq >/dev/null 2>&1 || skip "apt-get update failed (no Debian mirror reachable) to install ${need[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null 2>&1 \
    || skip "apt-get install ${need[*]} failed"
  hash -r
fi
[ "$(id -u)" -eq 0 ] || pod() { sudo podman --runtime runc "$@"; }

# --- 2. The runtime stage's base ----------------------------------------------------------------------
RUNTIME_IMAGE=$(dockerfile_runtime_image)
[[ "$RUNTIME_IMAGE" =~ ^debian:([a-z]+)-slim$ ]] || fail "ARG RUNTIME_IMAGE=$RUNTIME_IMAGE is not debian:<release>-slim: this script only knows how to make that base"
SUITE=${BASH_REMATCH[1]}
BASE="localhost/$RUNTIME_IMAGE"
. /etc/os-release
# The binary is built on this machine and links its glibc: it runs on the same Debian release only.
[ "${ID:-}" = debian ] && [ "${VERSION_CODENAME:-}" = "$SUITE" ] \
  || skip "this machine is ${PRETTY_NAME:-unknown}, the image is Debian $SUITE: a binary built here would not match the image's libraries"
MIRROR=http://deb.debian.org/debian
err=$(curl -fsS --max-time 15 -o /dev/null "$MIRROR/dists/$SUITE/InRelease" 2>&1) \
  || skip "$MIRROR is unreachable ($err): the base and the runtime stage's apt-get need it"

# slim ROOTFS: what the official -slim images remove and how they keep it removed (debuerreotype).
slim() {
  local r=$1
  cat > "$r/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
# Slim image: no documentation, manual pages or translations (as debian:*-slim).
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/overrides/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/man/*
EOF
  cat > "$r/etc/apt/apt.conf.d/docker-clean" <<'EOF'
# No package caches in image layers (as debian:* images).
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  echo 'Acquire::Languages "none";' > "$r/etc/apt/apt.conf.d/docker-no-languages"
  rm -f "$r/etc/apt/sources.list"
  cat > "$r/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: $SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  find "$r/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
  find "$r/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$r"/usr/share/{info,linda,locale,man}/* "$r"/usr/share/lintian/overrides/* \
         "$r"/var/lib/apt/lists/* "$r"/var/cache/apt/*.bin "$r"/var/cache/apt/archives/*.deb \
         "$r"/var/cache/debconf/*-old "$r"/var/lib/dpkg/*-old "$r"/var/log/*.log "$r"/var/log/apt/*
}

if pod image exists "$BASE"; then
  note "base $BASE exists (remove it to recreate: podman rmi $BASE)"
else
  note "creating $BASE: debootstrap --variant=minbase $SUITE, slimmed"
  ROOTFS=$(mktemp -d /tmp/build-image-rootfs.XXXXXX)
  trap '$SUDO rm -rf "$ROOTFS"' EXIT
  $SUDO debootstrap --variant=minbase "$SUITE" "$ROOTFS" "$MIRROR" > "$ROOTFS.log" 2>&1 \
    || { tail -n 5 "$ROOTFS.log" >&2; skip "debootstrap $SUITE from $MIRROR failed (see above)"; }
  rm -f "$ROOTFS.log"
  slim "$ROOTFS"
  $SUDO tar -C "$ROOTFS" -c . | pod import --quiet --change 'CMD ["bash"]' - "$BASE" >/dev/null \
    || fail "podman import of the debootstrap root failed"
  $SUDO rm -rf "$ROOTFS"
  trap - EXIT
fi
# Can podman start a container here at all? (user namespaces, cgroups, rlimits, runtime)
if ! out=$(pod run --rm "${ULIMITS[@]}" --network host "$BASE" true 2>&1); then
  skip "podman cannot run a container here: $(printf '%s' "$out" | tail -n 1)"
fi

# --- 3. The binary, as the build stage makes it ----------------------------------------------------
command -v swift >/dev/null 2>&1 || fail "swift is not on PATH (scripts/setup.sh)"
note "building: swift build -c release --static-swift-stdlib --product breakwater"
swift build -c release --static-swift-stdlib --product breakwater 2>&1 | tail -n 3
BIN="$(swift build -c release --static-swift-stdlib --show-bin-path)/breakwater"
CTX=$(mktemp -d /tmp/build-image-ctx.XXXXXX)
trap 'rm -rf "$CTX" "$CTX.log"' EXIT
install -D -m 0755 "$BIN" "$CTX/out/breakwater"
strip "$CTX/out/breakwater"
"$CTX/out/breakwater" --version >/dev/null || fail "the stripped binary does not run"
# The build stage's CA bundle (COPY --from=build /etc/ssl/certs/ca-certificates.crt): Debian's
# ca-certificates package freshly installed on the base, as the build stage's apt-get installs it. Not
# this machine's file: it can be older and locally changed (extra local CAs, deselected certificates:
# both seen on these machines), and none of that may end up trusted by the image.
CA=/etc/ssl/certs/ca-certificates.crt
mkdir -p "$CTX$(dirname "$CA")"
if ! pod run --rm "${ULIMITS[@]}" --network host "$BASE" sh -c 'apt-get update -qq >/dev/null \
     && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ca-certificates >/dev/null \
     && dpkg-query -W -f "ca-certificates \${Version}\n" ca-certificates >&2 && cat /etc/ssl/certs/ca-certificates.crt' \
     > "$CTX$CA" 2> "$CTX.log"; then
  tail -n 5 "$CTX.log" >&2
  fail "could not install ca-certificates in $BASE to take its CA bundle"
fi
chmod 0644 "$CTX$CA"
note "CA bundle: $(grep -c 'BEGIN CERTIFICATE' "$CTX$CA") certificates from Debian's $(grep '^ca-certificates ' "$CTX.log")"

# --- 4. The image ---------------------------------------------------------------------------------
# --format docker keeps HEALTHCHECK (OCI drops it); --network host lets RUN apt-get reach the mirror.
note "building $IMAGE from Dockerfile on $BASE"
if ! pod build "${ULIMITS[@]}" --network host --format docker --pull=never \
     --build-arg RUNTIME_IMAGE="$BASE" --build-context build="$CTX" \
     -t "$IMAGE" -f Dockerfile . > "$CTX.log" 2>&1; then
  tail -n 30 "$CTX.log" >&2
  fail "podman build of $IMAGE failed (see above)"
fi
grep -E 'STEP [0-9]+/[0-9]+:|^COMMIT' "$CTX.log" | cut -c1-150 | sed 's/^/  /' || true

# --- 5. Sizes -------------------------------------------------------------------------------------
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }
base_size=$(pod image inspect --format '{{.Size}}' "$BASE")
image_size=$(pod image inspect --format '{{.Size}}' "$IMAGE")
note "history of $IMAGE (newest first):"
pod history --format '{{.Size}}\t{{.CreatedBy}}' "$IMAGE" | cut -c1-150 | sed 's/^/  /'
echo "image: $IMAGE is $(mb "$image_size") = base $BASE $(mb "$base_size") + $(mb $((image_size - base_size))) added by the Dockerfile"
