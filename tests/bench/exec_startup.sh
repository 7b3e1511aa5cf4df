#!/usr/bin/env bash
# What mcpcred-exec adds to a stdio server's start: `mcpcred-exec NAME --
# /bin/true` against a real agent beside `/bin/true` alone, 20 runs each
# after 5 warm-ups, medians compared (goal: under 10 ms added). Uses
# hyperfine (Debian package hyperfine). A benchmark, run by hand:
#   tests/bench/exec_startup.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
build=${1:-build}
command -v hyperfine >/dev/null || { echo "needs hyperfine" >&2; exit 1; }
dir=$(mktemp -d)
trap 'kill "$agent" 2>/dev/null; rm -rf "$dir"' EXIT
printf '[store]\nbackend = "memory"\n[credential.bench]\nprovider = "static"\nsecret = "env:BENCH_SECRET"\nenv = { API_KEY = "{secret}" }\n' >"$dir/c.toml"
BENCH_SECRET=$(head -c 24 /dev/urandom | base64) XDG_STATE_HOME=$dir/state \
  "$build/bin/mcpcred-agent" -D --config "$dir/c.toml" --socket "$dir/a.sock" \
  2>"$dir/agent.log" &
agent=$!
for _ in $(seq 50); do [[ -S $dir/a.sock ]] && break; sleep 0.1; done
export MCPCRED_SOCK=$dir/a.sock
hyperfine -N -w 5 -r 20 --export-json "$dir/r.json" \
  '/bin/true' "$build/bin/mcpcred-exec bench -- /bin/true" >/dev/null
python3 - "$dir/r.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
bare, wrapped = (x["median"] * 1000 for x in r)
print(f"/bin/true median {bare:.2f} ms; mcpcred-exec bench -- /bin/true "
      f"median {wrapped:.2f} ms; added {wrapped - bare:.2f} ms (goal < 10 ms)")
PY
