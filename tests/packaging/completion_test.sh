#!/usr/bin/env bash
# The shell completions (contrib/completions):
# - bash: the completion functions, driven as bash does (COMP_WORDS,
#   COMP_CWORD), against a real agent with two credentials: subcommands,
#   options, credential names (`mcpcred list --names`, at the --socket of the
#   command line), option values; nothing (and no error) without an agent.
# - fish: the same through fish's own `complete -C`.
# - zsh: a syntax check (zsh -n), and compinit registering it for all four.
# - every long option of each program's --help, and every subcommand, is in
#   each shell's file, so that the completions cannot fall behind.
#
# Usage: completion_test.sh BIN_DIR SOURCE_DIR
set -euo pipefail
bin_dir=$(cd "$1" && pwd)
completions=$(cd "$2" && pwd)/contrib/completions
source "$(dirname "${BASH_SOURCE[0]}")/help_options.sh"

failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}
# expect NAME ACTUAL EXPECTED: both are newline-separated lists, compared sorted.
expect() {
  local got want
  got=$(sort <<<"$2" | sed '/^$/d')
  want=$(sort <<<"$3" | sed '/^$/d')
  [[ $got == "$want" ]] || fail "$1: got [$(echo $got)], want [$(echo $want)]"
}

work=$(mktemp -d)
chmod 0700 "$work"
agent_pid=
cleanup() {
  [[ -n $agent_pid ]] && kill "$agent_pid" 2>/dev/null && wait "$agent_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# --- The agent: two static credentials, alpha and beta. ---
export XDG_CONFIG_HOME=$work/config XDG_STATE_HOME=$work/state XDG_RUNTIME_DIR=$work/run
mkdir -p -m 0700 "$work/sock" "$XDG_RUNTIME_DIR"
socket=$work/sock/agent.sock
cat >"$work/config.toml" <<'TOML'
[store]
backend = "memory"
[credential.alpha]
provider = "static"
secret = "env:COMPLETION_TEST_SECRET"
env = { ALPHA_TOKEN = "{secret}" }
[credential.beta]
provider = "static"
secret = "env:COMPLETION_TEST_SECRET"
env = { BETA_TOKEN = "{secret}" }
TOML
COMPLETION_TEST_SECRET=completion-test-$RANDOM$RANDOM \
  "$bin_dir/mcpcred-agent" -D --config "$work/config.toml" --socket "$socket" \
  2>"$work/agent.log" &
agent_pid=$!
for _ in $(seq 100); do
  "$bin_dir/mcpcred" --socket "$socket" status >/dev/null 2>&1 && break
  sleep 0.1
done
"$bin_dir/mcpcred" --socket "$socket" status >/dev/null ||
  { cat "$work/agent.log"; echo "FAIL: the agent does not answer"; exit 1; }
expect "mcpcred list --names" "$("$bin_dir/mcpcred" --socket "$socket" list --names)" \
  $'alpha\nbeta'

export PATH=$bin_dir:$PATH MCPCRED_SOCK=$socket

# --- bash ---
# bash_complete WORD...: the last word is the one being completed.
bash_complete() {
  bash --norc --noprofile -c '
    source "$1"; shift
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE="$*"
    COMP_POINT=${#COMP_LINE}
    spec=$(complete -p "$1")
    function=${spec#*-F }
    "${function%% *}" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    printf "%s\n" "${COMPREPLY[@]}"' bash "$completions/mcpcred.bash" "$@"
}

subcommands=$(mcpcred_subcommands)
expect "bash: mcpcred <TAB>" "$(bash_complete mcpcred '')" "$subcommands"
expect "bash: mcpcred to<TAB>" "$(bash_complete mcpcred to)" token
expect "bash: mcpcred token <TAB>" "$(bash_complete mcpcred token '')" $'alpha\nbeta'
expect "bash: mcpcred env b<TAB>" "$(bash_complete mcpcred env b)" beta
expect "bash: mcpcred token alpha <TAB>" "$(bash_complete mcpcred token alpha '')" ""
expect "bash: mcpcred status <TAB>" "$(bash_complete mcpcred status '')" ""
expect "bash: mcpcred list --n<TAB>" "$(bash_complete mcpcred list --n)" --names
expect "bash: mcpcred login --<TAB>" "$(bash_complete mcpcred login --)" \
  $'--device\n--no-browser\n--paste\n--scope\n--socket\n--json\n--help'
expect "bash: mcpcred --json login <TAB>" "$(bash_complete mcpcred --json login '')" \
  $'alpha\nbeta'
# The socket of the command line, not $MCPCRED_SOCK.
expect "bash: mcpcred --socket S logout <TAB> (no MCPCRED_SOCK)" \
  "$(MCPCRED_SOCK=$work/none.sock bash_complete mcpcred --socket "$socket" logout '')" \
  $'alpha\nbeta'
expect "bash: mcpcred --socket=S headers <TAB> (no MCPCRED_SOCK)" \
  "$(MCPCRED_SOCK=$work/none.sock bash_complete mcpcred --socket = "$socket" headers '')" \
  $'alpha\nbeta'
expect "bash: mcpcred --socket <TAB>" "$(cd "$work" && bash_complete mcpcred --socket so)" sock

expect "bash: mcpcred-exec <TAB>" "$(bash_complete mcpcred-exec '')" $'alpha\nbeta'
expect "bash: mcpcred-exec alpha <TAB>" "$(bash_complete mcpcred-exec alpha '')" \
  $'alpha\nbeta'
expect "bash: mcpcred-exec --on-rotate <TAB>" "$(bash_complete mcpcred-exec --on-rotate '')" \
  $'restart\nnone\nsignal:HUP\nsignal:USR1\nsignal:USR2\nsignal:TERM'
expect "bash: mcpcred-exec --pass<TAB>" "$(bash_complete mcpcred-exec --pass)" --pass-socket
got=$(bash_complete mcpcred-exec alpha -- mcpcred-ag)
expect "bash: mcpcred-exec alpha -- mcpcred-ag<TAB> (a command)" "$got" mcpcred-agent
expect "bash: mcpcred-remote <TAB>" "$(bash_complete mcpcred-remote '')" $'alpha\nbeta'
expect "bash: mcpcred-remote --open <TAB>" "$(bash_complete mcpcred-remote --open '')" \
  $'alpha\nbeta'
expect "bash: mcpcred-remote alpha <TAB>" "$(bash_complete mcpcred-remote alpha '')" ""
expect "bash: mcpcred-agent --ch<TAB>" "$(bash_complete mcpcred-agent --ch)" --check

# --- fish ---
if command -v fish >/dev/null; then
  fish_complete() {
    fish --no-config -c '
      set -p fish_complete_path $argv[1]
      set -p fish_function_path $argv[1]
      complete -C $argv[2]' "$completions/fish" "$1" | cut -f1
  }
  for file in "$completions"/fish/*.fish; do
    fish -n "$file" || fail "fish -n $file"
  done
  expect "fish: mcpcred token " "$(fish_complete 'mcpcred token ')" $'alpha\nbeta'
  expect "fish: mcpcred --socket S env " \
    "$(MCPCRED_SOCK=$work/none.sock fish_complete "mcpcred --socket $socket env ")" \
    $'alpha\nbeta'
  expect "fish: mcpcred sec" "$(fish_complete 'mcpcred sec')" secret-keys
  expect "fish: mcpcred-exec a" "$(fish_complete 'mcpcred-exec a')" alpha
  expect "fish: mcpcred-remote " "$(fish_complete 'mcpcred-remote ')" $'alpha\nbeta'
  expect "fish: mcpcred-agent --ch" "$(fish_complete 'mcpcred-agent --ch')" --check
else
  fail "fish is not installed (scripts/setup-debian.sh installs it)"
fi

# --- zsh ---
if command -v zsh >/dev/null; then
  zsh -n "$completions/_mcpcred" || fail "zsh -n _mcpcred"
  # compinit registers _mcpcred for all four programs (its #compdef line).
  # Its dump file is a throwaway one in $work: compinit removes the file it
  # is given (never name /dev/null there).
  expect "zsh: compinit's _comps" "$(zsh -f -c 'fpath=($1 $fpath)
    autoload -U compinit; compinit -u -D -d $2/zcompdump
    print -l $_comps[mcpcred] $_comps[mcpcred-agent] $_comps[mcpcred-exec] $_comps[mcpcred-remote]' \
    zsh "$completions" "$work")" $'_mcpcred\n_mcpcred\n_mcpcred\n_mcpcred'
else
  fail "zsh is not installed (scripts/setup-debian.sh installs it)"
fi

# --- Without an agent: nothing, and nothing on the terminal. ---
kill "$agent_pid"
wait "$agent_pid" 2>/dev/null || true
agent_pid=
errors=$(bash_complete mcpcred token '' 2>&1 >/dev/null)
expect "bash without an agent: mcpcred token <TAB>" "$(bash_complete mcpcred token '' 2>/dev/null)" ""
[[ -z $errors ]] || fail "bash completion without an agent printed: $errors"

# --- Every option and subcommand of --help is in each shell's file. ---
for program in mcpcred mcpcred-agent mcpcred-exec mcpcred-remote; do
  fish_file=$completions/fish/$program.fish
  for option in $(long_options "$program"); do
    grep -qE -- "(^|[ \"])${option}([ \"]|\$)" "$completions/mcpcred.bash" ||
      fail "bash completion lacks $program $option"
    grep -qE -- "(^|[ '\"{,)*])${option}([]=[ \"'}]|\$)" "$completions/_mcpcred" ||
      fail "zsh completion lacks $program $option"
    grep -qE -- " -l ${option#--}( |\$)" "$fish_file" ||
      fail "fish completion lacks $program $option"
  done
done
for sub in $subcommands; do
  grep -qE -- "(^|[ \"])${sub}([ \"]|\$)" <(grep '^_mcpcred_subcommands=' "$completions/mcpcred.bash") ||
    fail "bash completion lacks subcommand $sub"
  grep -qE -- "'${sub}:" "$completions/_mcpcred" || fail "zsh completion lacks subcommand $sub"
  grep -qE -- "-a ${sub} " "$completions/fish/mcpcred.fish" ||
    fail "fish completion lacks subcommand $sub"
done

# Nothing here may touch this machine's devices (compinit once did).
[[ -c /dev/null ]] || fail "/dev/null is no longer a character device"

if ((failures > 0)); then
  echo "$failures failure(s)"
  exit 1
fi
echo "completions: bash and fish complete from a real agent; all options present"
