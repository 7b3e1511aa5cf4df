#!/usr/bin/env bash
# The demo: builds mcpcred, starts the agent on a private socket with
# examples/demo.toml, and has `mcpcred-exec` hand a credential to a child
# process, which shows that it got it without ever printing it. Then lists the
# credentials and the secret keys, stops the agent and checks it cleaned up.
#
# The secret is random, made here, and given to the agent only: the child can
# get it from the agent alone. The demo fails if the secret shows up in
# anything it prints.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD

step() { printf '\n== %s\n' "$*"; }
die() {
  echo "demo: FAILED: $*" >&2
  exit 1
}

step "setup"
bash scripts/setup-debian.sh
step "build"
bash scripts/build.sh

agent=$repo/build/bin/mcpcred-agent
cli=$repo/build/bin/mcpcred
exec_bin=$repo/build/bin/mcpcred-exec
for bin in "$agent" "$cli" "$exec_bin"; do
  [[ -x $bin ]] || die "$bin was not built"
done

demo_dir=$(mktemp -d)
chmod 0700 "$demo_dir"
sock=$demo_dir/agent.sock
agent_log=$demo_dir/agent.log
agent_pid=
demo_secret=
# Keep the demo away from the user's own config, state and agent.
export XDG_CONFIG_HOME=$demo_dir/config XDG_STATE_HOME=$demo_dir/state
export MCPCRED_SOCK=$sock
unset MCPCRED_CONFIG

cleanup() {
  local status=$?
  if [[ -n $agent_pid ]] && kill -0 "$agent_pid" 2>/dev/null; then
    kill -TERM "$agent_pid" 2>/dev/null || true
    wait "$agent_pid" 2>/dev/null || true
  fi
  if [[ $status -ne 0 && -s $agent_log ]]; then
    echo "--- agent log" >&2
    if [[ -n $demo_secret ]] && grep -qF -- "$demo_secret" "$agent_log"; then
      echo "(not shown: it holds the secret)" >&2
    else
      cat "$agent_log" >&2
    fi
  fi
  rm -rf "$demo_dir"
  exit "$status"
}
trap cleanup EXIT

# Fails if the secret appears in FILE, whose text came from WHAT.
check_no_secret() {
  if grep -qF -- "$demo_secret" "$1"; then
    die "the secret appeared in the output of $2"
  fi
}

# Runs a command; prints its output (stdout and stderr) once it is known not
# to hold the secret, and fails if the command did. The output stays in
# $demo_dir/out for further checks.
run() {
  local what=$1 status=0
  shift
  "$@" >"$demo_dir/out" 2>&1 || status=$?
  check_no_secret "$demo_dir/out" "$what"
  cat "$demo_dir/out"
  [[ $status -eq 0 ]] || die "$what exited with status $status"
}

step "start the agent (socket $sock)"
demo_secret=$(openssl rand -hex 16)
export DEMO_API_KEY=$demo_secret
"$agent" -D --config "$repo/examples/demo.toml" --socket "$sock" >"$agent_log" 2>&1 &
agent_pid=$!
# From here on only the agent has it.
unset DEMO_API_KEY

ready=0
for _ in $(seq 100); do
  if "$cli" --socket "$sock" status >/dev/null 2>&1; then
    ready=1
    break
  fi
  kill -0 "$agent_pid" 2>/dev/null || die "the agent exited while starting"
  sleep 0.1
done
[[ $ready -eq 1 ]] || die "the agent did not answer on $sock within 10 s"
[[ $(stat -c %a "$sock") == 600 ]] || die "socket mode is $(stat -c %a "$sock"), want 600"
run "mcpcred status" "$cli" --socket "$sock" status

step "mcpcred-exec demo -- sh -c '...' (the child reports what it got)"
# shellcheck disable=SC2016  # expanded by the child's shell, not here
child_script='
printf "child got DEMO_API_KEY (%s chars), secret keys: %s\n" \
  "${#DEMO_API_KEY}" "${MCPCRED_SECRET_KEYS:-none}"
echo "child env, redacted by mcpcred redact:"
env | grep -E "^(DEMO_API_KEY|MCPCRED_SECRET_KEYS)=" | sort | "$1" --socket "$2" redact
'
run "mcpcred-exec" "$exec_bin" --socket "$sock" demo -- sh -c "$child_script" sh "$cli" "$sock"
grep -q "^child got DEMO_API_KEY (${#demo_secret} chars)" "$demo_dir/out" \
  || die "the child did not get the ${#demo_secret}-character credential"
grep -q '^DEMO_API_KEY=' "$demo_dir/out" \
  || die "mcpcred redact did not pass the DEMO_API_KEY line through"

step "mcpcred list"
run "mcpcred list" "$cli" --socket "$sock" list

step "mcpcred secret-keys"
run "mcpcred secret-keys" "$cli" --socket "$sock" secret-keys
grep -qw DEMO_API_KEY "$demo_dir/out" || die "secret-keys does not name DEMO_API_KEY"

step "stop the agent"
kill -TERM "$agent_pid"
stopped=0
for _ in $(seq 100); do
  if ! kill -0 "$agent_pid" 2>/dev/null; then
    stopped=1
    break
  fi
  sleep 0.1
done
if [[ $stopped -ne 1 ]]; then
  kill -KILL "$agent_pid" 2>/dev/null || true
  die "the agent did not stop within 10 s of SIGTERM"
fi
agent_status=0
wait "$agent_pid" || agent_status=$?
agent_pid=
[[ $agent_status -eq 0 ]] || die "the agent exited with status $agent_status on SIGTERM"
[[ ! -e $sock ]] || die "the agent left its socket $sock behind"
check_no_secret "$agent_log" "the agent's log"
echo "agent stopped (exit 0), socket removed"

step "demo passed"
