# Shared by scripts/build-image.sh and scripts/run-image-checks.sh (sourced, not run).
# Podman as it works on these machines (no Docker engine; docs in Deploy/README.md "Image"):
#   - runc, not crun: crun cannot set the default rlimits here;
#   - explicit ulimits no higher than a CI shell's own (higher ones fail with "setrlimit ... not permitted").
# Exit code 77 means "this environment cannot build or run images": callers report it as skipped,
# never as a failure of the image.

# The image to build and check (override with the first argument or IMAGE=...).
IMAGE=${IMAGE:-breakwater:dev}
# The one environment-skip exit code (automake's convention).
SKIP_RC=77

pod() { podman --runtime runc "$@"; }
ULIMITS=(--ulimit nofile=1024:1024 --ulimit nproc=1024:1024)

# The runtime stage's base as the Dockerfile names it (ARG RUNTIME_IMAGE, e.g. debian:bookworm-slim),
# built locally as localhost/<that name> because no registry can be pulled from here.
dockerfile_runtime_image() { sed -n 's/^ARG RUNTIME_IMAGE=//p' Dockerfile; }

# skip REASON: the one line CI prints for an environment reason, then exit 77.
skip() { echo "image: SKIPPED: $*"; exit "$SKIP_RC"; }
