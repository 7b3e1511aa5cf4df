#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, and runs every ctest
# label (unit, integration, end-to-end...). Exits with ctest's status.
#
# Environment: BUILD_DIR (default build), JOBS (default 2), CTEST_ARGS (extra
# ctest arguments, e.g. CTEST_ARGS="-L integration"), MCPCRED_SANITIZE_CI=0
# to skip the sanitizer builds (or address,undefined / thread for one).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

build_dir=${BUILD_DIR:-build}
jobs=${JOBS:-2}

bash scripts/setup-debian.sh
bash scripts/build.sh

# Node dependencies: the end-to-end peers (an authorization server), the MCP
# SDK hosts and servers of the relay tests, the SDK peers of mcpcred-remote,
# the TypeScript client package (built here; ctest runs its tests), and the
# MCP conformance suite with the Node 22 it needs (tests/conformance).
npm ci --prefix tests/e2e --no-audit --no-fund </dev/null
npm ci --prefix tests/e2e/mcp --no-audit --no-fund </dev/null
npm ci --prefix tests/e2e/mcp-remote --no-audit --no-fund </dev/null
npm ci --prefix client/typescript --no-audit --no-fund </dev/null
npm ci --prefix tests/conformance --no-audit --no-fund </dev/null
npm run --prefix client/typescript build </dev/null

extra=()
if [[ -n ${CTEST_ARGS:-} ]]; then
  read -r -a extra <<<"$CTEST_ARGS"
fi

status=0
ctest --test-dir "$build_dir" --output-on-failure -j "$jobs" --timeout 600 \
  "${extra[@]}" </dev/null || status=$?

# The unit and integration suites again under AddressSanitizer and
# UndefinedBehaviorSanitizer, built by Clang with -Wthread-safety -Werror
# (build-asan), then under ThreadSanitizer over an instrumented Abseil
# (build-tsan); scripts/sanitize.sh, docs/SANITIZERS.md.
# MCPCRED_SANITIZE_CI=0 skips both; =address,undefined or =thread runs one.
sanitize=${MCPCRED_SANITIZE_CI:-all}
[[ $sanitize == 1 ]] && sanitize=all
for sanitizers in address,undefined thread; do
  if [[ $sanitize == all || $sanitize == "$sanitizers" ]]; then
    JOBS=$jobs bash scripts/sanitize.sh "$sanitizers" </dev/null || status=$?
  fi
done
exit "$status"
