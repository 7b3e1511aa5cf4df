#!/usr/bin/env bash
# Runs the official MCP conformance suite's client auth scenarios against
# mcpcred (driver.mjs), one scenario at a time, and prints one verdict line
# per scenario and a closing "N passed, N failed" line. Exit 0 when every
# scenario passed or failed as expected-failures.yml says it must.
#
# Usage: run_conformance.sh BIN_DIR [SCENARIO...]
#   BIN_DIR: where mcpcred and mcpcred-agent are (e.g. build/bin).
#   Without SCENARIO, every auth/* client scenario the suite lists.
# Needs `npm ci --prefix tests/conformance`; exits 77 (skip) without it.
# The suite's own log (which shows each scenario's throwaway test
# credentials) goes to $CONFORMANCE_LOG_DIR (default: a temporary
# directory), not to this output.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin_dir=$(cd "${1:?usage: run_conformance.sh BIN_DIR [SCENARIO...]}" && pwd)
shift
node=$here/node_modules/.bin/node
suite=$here/node_modules/@modelcontextprotocol/conformance/dist/index.js
if [[ ! -x $node || ! -f $suite ]]; then
  echo "conformance: not installed; run: npm ci --prefix tests/conformance"
  exit 77
fi
log_dir=${CONFORMANCE_LOG_DIR:-$(mktemp -d)}
mkdir -p "$log_dir"

scenarios=("$@")
if [[ ${#scenarios[@]} -eq 0 ]]; then
  mapfile -t scenarios < <("$node" "$suite" list --client 2>/dev/null |
    sed -n 's/^ *- \(auth\/[^ ]*\).*/\1/p')
fi
version=$("$node" "$suite" --version)
echo "conformance: @modelcontextprotocol/conformance $version, ${#scenarios[@]} scenarios"

# Scenarios expected to fail, each with its reason (expected-failures.yml).
declare -A expected
while IFS=$'\t' read -r name reason; do
  [[ -n $name ]] && expected[$name]=$reason
done < <(sed -n 's/^ *- \([^ #]*\) *# *\(.*\)$/\1\t\2/p' "$here/expected-failures.yml")

passed=0
failed=0
for scenario in "${scenarios[@]}"; do
  out=$log_dir/${scenario//\//_}.log
  MCPCRED_BIN_DIR=$bin_dir "$node" "$suite" client \
    --command "$node $here/driver.mjs" --scenario "$scenario" \
    --timeout 60000 >"$out" 2>&1
  rc=$?
  if [[ $rc -eq 0 ]]; then verdict=pass; else verdict=fail; fi
  if [[ -n ${expected[$scenario]:-} ]]; then
    if [[ $verdict == fail ]]; then
      echo "XFAIL $scenario (${expected[$scenario]})"
      passed=$((passed + 1))
    else
      echo "XPASS $scenario: remove it from expected-failures.yml"
      failed=$((failed + 1))
    fi
    continue
  fi
  if [[ $verdict == pass ]]; then
    echo "PASS  $scenario"
    passed=$((passed + 1))
  else
    echo "FAIL  $scenario (log: $out)"
    # The failing checks only: never the context line with credentials.
    grep -E '^\s+- |Passed: |OVERALL|^driver: (error|step)' "$out" |
      grep -v 'With context' | sed 's/^/      /'
    failed=$((failed + 1))
  fi
done
echo "conformance: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
