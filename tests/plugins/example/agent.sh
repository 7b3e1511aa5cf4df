#!/usr/bin/env bash
# Runs the installed mcpcred-agent of WORK/prefix (see build.sh) with
# MCPCRED_PLUGIN_PATH=WORK/plugins and checks that `mcpcred token` returns
# what the out-of-tree providers hand out: the C example's environment
# variable and the C++ SDK consumer's echo.
# Usage: agent.sh WORK
set -euo pipefail
work=$1
tmp=$(mktemp -d)
agent_pid=
cleanup() {
  if [[ -n $agent_pid ]]; then
    kill -TERM "$agent_pid" 2>/dev/null || true
    wait "$agent_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

cat >"$tmp/config.toml" <<'TOML'
[store]
backend = "memory"

[credential.example]
provider = "env"
variable = "MCPCRED_EXAMPLE_TOKEN"

[credential.echo]
provider = "sdk_echo"
value = "echoed-by-the-sdk"
TOML

sock=$tmp/agent.sock
cli=$work/prefix/bin/mcpcred
unset MCPCRED_CONFIG
MCPCRED_EXAMPLE_TOKEN=example-value-42 MCPCRED_PLUGIN_PATH=$work/plugins \
  "$work/prefix/bin/mcpcred-agent" -D --config "$tmp/config.toml" \
  --socket "$sock" >"$tmp/agent.log" 2>&1 &
agent_pid=$!
for _ in $(seq 100); do
  "$cli" --socket "$sock" status >/dev/null 2>&1 && break
  kill -0 "$agent_pid" 2>/dev/null || { cat "$tmp/agent.log" >&2; exit 1; }
  sleep 0.1
done

got=$("$cli" --socket "$sock" token example)
echo "token example: $got"
[[ $got == example-value-42 ]]
got=$("$cli" --socket "$sock" token echo)
echo "token echo: $got"
[[ $got == echoed-by-the-sdk ]]
echo "2 passed, 0 failed"
