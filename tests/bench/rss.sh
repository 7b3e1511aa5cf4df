#!/usr/bin/env bash
# The agent's resident memory (VmRSS from /proc/PID/status), idle with the
# four bundled plugins loaded (a config with one credential of each: static,
# oauth2, github-app, command), then holding idle connections: connections
# that never say a word, and gRPC channels that connected and went quiet.
# A figure, not a test: run by hand. The first figure is taken before any
# request; `mcpcred status` then builds the redaction set (every secret a
# plugin read, in all its encodings: with the GitHub App's PEM key, several
# MB).
#   tests/bench/rss.sh [BUILD_DIR] [CONNECTIONS]
# BUILD_DIR defaults to build, CONNECTIONS to 1000. RSS is read after the
# agent's start-up settles ($SETTLE_SECONDS, default 2) and again after each
# batch of connections has been open that long.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
build=${1:-build}
[[ $build = /* ]] || build=$PWD/$build
connections=${2:-1000}
settle=${SETTLE_SECONDS:-2}
agent_bin=$build/bin/mcpcred-agent
cli_bin=$build/bin/mcpcred

work=$(mktemp -d /tmp/mcpcred-rss-XXXXXX)
agent_pid=
cleanup() {
  [[ -n $agent_pid ]] && kill "$agent_pid" 2>/dev/null && wait "$agent_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
chmod 700 "$work"
mkdir -p "$work/run" "$work/state" "$work/config" "$work/home"
chmod 700 "$work/run"
export XDG_RUNTIME_DIR=$work/run XDG_STATE_HOME=$work/state
export XDG_CONFIG_HOME=$work/config HOME=$work/home
export MCPCRED_SOCK=$work/run/agent.sock
export RSS_SECRET=rss-static-secret-value-0123456789
openssl genrsa -out "$work/app.pem" 2048 2>/dev/null
chmod 600 "$work/app.pem"
cat >"$work/config.toml" <<EOF
[store]
backend = "memory"

[credential.static]
provider = "static"
secret = "env:RSS_SECRET"
env = { STATIC_TOKEN = "{secret}" }

[credential.oauth]
provider = "oauth2"
issuer = "https://auth.example.test"
authorization_endpoint = "https://auth.example.test/authorize"
token_endpoint = "https://auth.example.test/token"
client_id = "rss"
headers = { Authorization = "Bearer {access_token}" }

[credential.app]
provider = "github-app"
app_id = 1
installation_id = 2
private_key = "file:$work/app.pem"
env = { GH_TOKEN = "{access_token}" }

[credential.cmd]
provider = "command"
command = ["/bin/echo", '{"access_token": "command-token-value-0123456789"}']
env = { CMD_TOKEN = "{access_token}" }
EOF

"$agent_bin" -D --config "$work/config.toml" 2>"$work/agent.log" &
agent_pid=$!
# Ready once it logs that it listens: no request yet (`mcpcred status` would
# compile the redaction set).
for _ in $(seq 400); do
  grep -q "listening on" "$work/agent.log" && break
  sleep 0.05
done
if ! grep -q "listening on" "$work/agent.log"; then
  echo "rss: the agent does not serve:" >&2
  cat "$work/agent.log" >&2
  exit 1
fi

rss() {
  awk -v label="$1" '/^VmRSS|^RssAnon|^RssFile|^Threads/ {v[$1]=$2}
    END {printf "%-34s VmRSS %6d kB  (anon %6d, file %6d)  threads %s\n",
         label, v["VmRSS:"], v["RssAnon:"], v["RssFile:"], v["Threads:"]}' \
    "/proc/$agent_pid/status"
}

sleep "$settle"
rss "idle, 4 plugins, 4 credentials"
"$cli_bin" token static >/dev/null
"$cli_bin" token cmd >/dev/null
sleep "$settle"
rss "after serving two credentials"
"$cli_bin" status >/dev/null
sleep "$settle"
rss "after status (redaction set built)"

# Connections that never speak, then gRPC channels that spoke and idle; each
# batch is held by a helper while RSS is read.
/usr/bin/python3 - "$MCPCRED_SOCK" "$connections" "$settle" "$agent_pid" <<'EOF'
import os, socket, subprocess, sys, time
path, count, settle, pid = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]

def rss(label):
    fields = {}
    for line in open(f"/proc/{pid}/status"):
        key, _, value = line.partition(":")
        fields[key] = value.split()[0] if value.split() else ""
    print(f"{label:<34} VmRSS {int(fields['VmRSS']):6d} kB  (anon {int(fields['RssAnon']):6d}, "
          f"file {int(fields['RssFile']):6d})  threads {fields['Threads']}", flush=True)

socks = []
for _ in range(count):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    socks.append(s)
time.sleep(settle)
rss(f"{count} silent connections")
for s in socks:
    s.close()
time.sleep(settle)

import grpc
channels, futures = [], []
for i in range(count):
    ch = grpc.insecure_channel(f"unix:{path}", options=[("mcpcred.rss", i), ("grpc.use_local_subchannel_pool", 1)])
    channels.append(ch)
    futures.append(grpc.channel_ready_future(ch))
deadline = time.time() + 20
ready = 0
for f in futures:
    try:
        f.result(timeout=max(0.01, deadline - time.time()))
        ready += 1
    except grpc.FutureTimeoutError:
        pass
time.sleep(settle)
rss(f"{count} idle gRPC channels ({ready} ready)")
for f in futures:
    f.cancel()
for ch in channels:
    ch.close()
EOF
sleep "$settle"
rss "after they closed"
