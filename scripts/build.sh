#!/usr/bin/env bash
# Configures (once) and builds mcpcred with Ninja into ./build.
#
# Idempotent: a configured tree is only built again, and Ninja re-runs CMake
# by itself when a CMakeLists.txt changes. Extra arguments are passed to the
# first configure, e.g. scripts/build.sh -DMCPCRED_BUILD_BENCH=OFF.
#
# Environment: BUILD_DIR (default build), BUILD_TYPE (default RelWithDebInfo),
# JOBS (default 2).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

build_dir=${BUILD_DIR:-build}
build_type=${BUILD_TYPE:-RelWithDebInfo}
jobs=${JOBS:-2}

if [[ -f $build_dir/CMakeCache.txt ]] && ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$build_dir/CMakeCache.txt"; then
  echo "build: $build_dir was configured with another generator than Ninja;" \
    "remove it (rm -rf $build_dir) and run again" >&2
  exit 1
fi

if [[ ! -f $build_dir/build.ninja ]]; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="$build_type" "$@"
fi

cmake --build "$build_dir" -j "$jobs"
