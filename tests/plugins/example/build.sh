#!/usr/bin/env bash
# Installs the build tree into WORK/prefix, then builds, out of tree and
# against that prefix alone (find_package(mcpcred COMPONENTS provider_sdk)),
# the C example provider (examples/plugin) and a C++ provider written with
# mcpcred::provider_sdk (sdk_consumer/), both into WORK/plugins, and checks
# that each exports nothing but its entry point.
# Usage: build.sh BUILD_DIR WORK
set -euo pipefail
build=$1
work=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)

rm -rf "$work"
mkdir -p "$work/plugins"
cmake --install "$build" --prefix "$work/prefix" >/dev/null

for project in "$repo/examples/plugin" "$here/sdk_consumer"; do
  name=$(basename "$project")
  cmake -S "$project" -B "$work/build-$name" -G Ninja \
    -DCMAKE_PREFIX_PATH="$work/prefix" \
    -DCMAKE_LIBRARY_OUTPUT_DIRECTORY="$work/plugins" >/dev/null
  cmake --build "$work/build-$name" >/dev/null
done

for so in env.so sdk_echo.so; do
  exported=$(nm -D --defined-only "$work/plugins/$so" | awk '{print $3}')
  echo "$so exports: $exported"
  [[ $exported == mcpcred_provider_entry ]]
done
echo "2 passed, 0 failed"
