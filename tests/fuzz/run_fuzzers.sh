#!/usr/bin/env bash
# Runs the libFuzzer binaries of a build configured with
# -DMCPCRED_BUILD_FUZZERS=ON and Clang, one after the other.
#
#   tests/fuzz/run_fuzzers.sh BUILD_DIR [SECONDS] [NAME...]
#
# Each fuzzer starts from a copy of its seed corpus in
# BUILD_DIR/fuzz-work/NAME/corpus (new inputs go there, never into the source
# tree), with its dictionary when there is one; crash files and the log land
# in BUILD_DIR/fuzz-work/NAME/. Extra libFuzzer flags: FUZZ_FLAGS="..."
# (they come last, so they override the defaults below).
# Known, reported invariant failures can be skipped with
# MCPCRED_FUZZ_SKIP_CHECKS=name,name.
set -euo pipefail

build=${1:?usage: run_fuzzers.sh BUILD_DIR [SECONDS] [NAME...]}
seconds=${2:-60}
shift $(( $# >= 2 ? 2 : $# ))
here=$(cd "$(dirname "$0")" && pwd)
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  names=(config template www_authenticate url form_query metadata
         token_response github_token command_token redactor)
fi

dict_for() {
  case $1 in
    config) echo toml ;;
    metadata|token_response|github_token|command_token) echo json ;;
    www_authenticate) echo www_authenticate ;;
    url|form_query) echo url ;;
  esac
}

status=0
for name in "${names[@]}"; do
  binary=$build/tests/fuzz/fuzz_$name
  if [ ! -x "$binary" ]; then
    echo "run_fuzzers: no $binary (build target fuzz_$name)" >&2
    status=1
    continue
  fi
  work=$build/fuzz-work/$name
  mkdir -p "$work/corpus"
  cp -n "$here/corpus/$name/"* "$work/corpus/" 2>/dev/null || true
  # -jobs=1: one worker process (its output goes to fuzz-0.log, which the
  # parent prints when the job ends).
  rm -f "$work"/fuzz-*.log
  flags=(-max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -jobs=1
         -print_final_stats=1 -artifact_prefix="$work/")
  dict=$(dict_for "$name")
  if [ -n "$dict" ]; then flags+=(-dict="$here/dict/$dict.dict"); fi
  echo "== fuzz_$name for ${seconds}s"
  # shellcheck disable=SC2086
  rc=0
  (cd "$work" && "$binary" "${flags[@]}" ${FUZZ_FLAGS:-} corpus \
    > "$work/log.txt" 2>&1) || rc=$?
  # The parent copies each job's fuzz-N.log into its own output; its own
  # exit status does not always tell that a job crashed.
  if [ $rc -ne 0 ] || grep -qE '^==[0-9]+== ?ERROR|mcpcred fuzz: invariant' \
      "$work/log.txt"; then
    status=1
    echo "   CRASH: see $work/log.txt and $work/crash-*" >&2
  fi
  grep -E '^#[0-9]+ +DONE|stat::|Loaded 1 modules|INFO: seed corpus' \
    "$work/log.txt" | sed 's/^/   /' || true
done
exit $status
