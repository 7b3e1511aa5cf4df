#!/usr/bin/env bash
# GetCredential round trips from the three client languages in one run, one
# after another on the same machine state: the C++ client (cache_bench's
# single-client figure), the Python client and the TypeScript client (their
# package benchmarks), each against a real agent with a static credential.
# Prints the p50 lines to compare (goal: Python and TypeScript within 1.5x
# of C++). Needs a build (scripts/build.sh) and client/typescript built.
#   tests/bench/clients_bench.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
build=${1:-build}
export MCPCRED_AGENT_BIN=$PWD/$build/bin/mcpcred-agent
export MCPCRED_CLI_BIN=$PWD/$build/bin/mcpcred

echo "== C++ (mcpcred::Client's stub, one connection)"
"$build/tests/bench/cache_bench" --calls-per-reader 1000 --watchers 1 |
  grep -E "no watcher"
echo "== Python (mcpcred.Agent / AsyncAgent)"
/usr/bin/python3 client/python/bench/bench.py --calls 2000 --round-trips 3000 |
  grep -Ei "get_credential|getcredential|round"
echo "== TypeScript (@mcpcred/client)"
(cd client/typescript && node bench/bench.mjs --calls 600000) |
  grep -Ei "getCredential"
