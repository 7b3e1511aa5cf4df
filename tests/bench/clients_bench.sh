#!/usr/bin/env bash
# GetCredential round trips from the three client languages, in rounds: each
# round runs the C++ client (cache_bench's single-client figure), the Python
# client and the TypeScript client (their package benchmarks) one after
# another on the same machine state, each against a real agent with a static
# credential. Prints each round's p50 lines, then each round's ratio to C++
# and the median ratio (goal: Python and TypeScript within 1.5x of C++). On
# a shared machine single runs swing; the per-round ratio and its median are
# the figures to quote. Needs a build (scripts/build.sh) and
# client/typescript built.
#   tests/bench/clients_bench.sh [BUILD_DIR] [ROUNDS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
build=${1:-build}
rounds=${2:-3}
export MCPCRED_AGENT_BIN=$PWD/$build/bin/mcpcred-agent
export MCPCRED_CLI_BIN=$PWD/$build/bin/mcpcred

ratios=()
for ((round = 1; round <= rounds; round++)); do
  echo "== round $round: C++ (mcpcred::Client's stub, one connection)"
  cpp=$("$build/tests/bench/cache_bench" --calls-per-reader 1000 --watchers 1 |
    grep -E "no watcher")
  echo "$cpp"
  echo "== round $round: Python (mcpcred.Agent / AsyncAgent)"
  python=$(/usr/bin/python3 client/python/bench/bench.py --calls 2000 \
    --round-trips 3000 | grep -Ei "get_credential|getcredential|round")
  echo "$python"
  echo "== round $round: TypeScript (@mcpcred/client)"
  typescript=$(cd client/typescript && node bench/bench.mjs --calls 600000 |
    grep -Ei "getCredential")
  echo "$typescript"
  cpp_p50=$(sed -n 's/.*p50 \([0-9.]*\) us.*/\1/p' <<<"$cpp")
  py_p50=$(grep -E "^Agent.get_credential" <<<"$python" |
    sed -n 's/.*p50 *\([0-9.]*\) us.*/\1/p')
  ts_p50=$(grep -E "round trip" <<<"$typescript" |
    sed -n 's/.*p50 \([0-9.]*\) .*/\1/p' | head -1)
  ratios+=("$(awk -v c="$cpp_p50" -v p="$py_p50" -v t="$ts_p50" \
    'BEGIN {printf "%.2f %.2f", p / c, t / c}')")
done

echo "== p50 ratio to C++, by round (Python Agent, TypeScript client)"
for ((i = 0; i < rounds; i++)); do
  echo "round $((i + 1)): python ${ratios[i]% *}x  typescript ${ratios[i]#* }x"
done
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
py_median=$(printf '%s\n' "${ratios[@]}" | cut -d' ' -f1 | median)
ts_median=$(printf '%s\n' "${ratios[@]}" | cut -d' ' -f2 | median)
echo "median: python ${py_median}x  typescript ${ts_median}x  (goal <= 1.50x)"
