#!/usr/bin/env bash
# Builds mcpcred with sanitizers (Clang, MCPCRED_SANITIZE) in a tree of its
# own and runs the unit and integration suites in it:
#
#   scripts/sanitize.sh address,undefined   # build-asan: ASan + UBSan, and
#                                            # Clang's -Wthread-safety -Werror
#   scripts/sanitize.sh thread               # build-tsan: TSan
#
# Only what those suites need is built (no benchmarks, fuzzers, end-to-end
# or conformance tests). Every finding aborts the process, so a test fails
# on it. Exits with ctest's status.
#
# Environment: JOBS (default 2), CTEST_ARGS (extra ctest arguments; for
# thread the default label set is narrowed, see below).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

sanitizers=${1:?usage: scripts/sanitize.sh address,undefined|thread}
jobs=${JOBS:-2}
case $sanitizers in
  thread) build_dir=build-tsan ;;
  *) build_dir=build-asan ;;
esac

# TSan sees only the synchronisation of instrumented code, so the thread
# build uses Debian's Abseil rebuilt with TSan (scripts/tsan-abseil.sh),
# found before the system's and loaded through an RPATH that also applies
# to gRPC's own Abseil dependencies (DT_RPATH, not RUNPATH).
configure=()
if [[ $sanitizers == thread ]]; then
  abseil=$PWD/build-tsan-abseil
  JOBS=$jobs bash scripts/tsan-abseil.sh "$abseil"
  rpath="-Wl,--disable-new-dtags -Wl,-rpath,$abseil/lib"
  configure=(-DCMAKE_PREFIX_PATH="$abseil"
    -DCMAKE_EXE_LINKER_FLAGS="$rpath" -DCMAKE_SHARED_LINKER_FLAGS="$rpath"
    -DCMAKE_MODULE_LINKER_FLAGS="$rpath")
fi

if [[ ! -f $build_dir/build.ninja ]]; then
  CC=clang CXX=clang++ cmake -S . -B "$build_dir" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMCPCRED_SANITIZE="$sanitizers" \
    -DMCPCRED_BUILD_BENCH=OFF -DMCPCRED_BUILD_E2E=OFF \
    -DMCPCRED_STATIC_CLIENTS=OFF "${configure[@]}"
fi
start=$(date +%s)
cmake --build "$build_dir" -j "$jobs"
echo "sanitize: $sanitizers build took $(($(date +%s) - start)) s"

# Reports go to stderr, which ctest shows for a failed test.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# TSan's options and suppressions are compiled into the programs
# (tests/sanitize/tsan_defaults.cc); TSAN_OPTIONS may add to them.
# The agent makes itself non-dumpable (no secret in a core dump), which
# stops LeakSanitizer from attaching to it: leaks are checked in the test
# processes, not in the agent (ASAN_OPTIONS above leaves detect_leaks on).

labels=(-L 'unit|integration')
extra=()
if [[ -n ${CTEST_ARGS:-} ]]; then
  read -r -a extra <<<"$CTEST_ARGS"
fi

start=$(date +%s)
status=0
ctest --test-dir "$build_dir" --output-on-failure -j "$jobs" --timeout 900 \
  "${labels[@]}" "${extra[@]}" </dev/null || status=$?
echo "sanitize: $sanitizers tests took $(($(date +%s) - start)) s"
exit "$status"
