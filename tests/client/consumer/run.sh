#!/usr/bin/env bash
# Installs the build tree into a temporary prefix, then builds consumer.cc
# against it twice, with find_package(mcpcred) and with pkg-config, and runs
# both (with no agent: each must say so).
# Usage: run.sh BUILD_DIR
set -euo pipefail
build=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/prefix" >/dev/null

cmake -S "$here" -B "$work/cmake" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/cmake" >/dev/null
out=$(MCPCRED_SOCK="$work/none.sock" "$work/cmake/consumer")
echo "find_package: $out"
[[ $out == "error: no agent" ]]

export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig"
# shellcheck disable=SC2046
c++ -std=c++20 "$here/consumer.cc" -o "$work/pc-consumer" \
  $(pkg-config --cflags --libs mcpcred)
out=$(MCPCRED_SOCK="$work/none.sock" "$work/pc-consumer")
echo "pkg-config: $out"
[[ $out == "error: no agent" ]]
echo "1 passed, 0 failed"
