# bash completion for mcpcred, mcpcred-agent, mcpcred-exec and mcpcred-remote.
#
# Installed as share/bash-completion/completions/mcpcred (and under the other
# three names, so that bash-completion loads it for any of them). Credential
# names come from the running agent: `mcpcred list --names`.
#
# Adding an option or subcommand is one word in the lists below;
# tests/packaging/completion_test.sh checks that every option and subcommand
# of each program's --help is here.

_mcpcred_subcommands="status list token env headers redact secret-keys reload login logout add remove lock unlock import doctor"
_mcpcred_global_options="--socket --json --help"
# The options of each subcommand, beyond the global ones.
_mcpcred_subcommand_options() {
  case $1 in
    list) echo "--names" ;;
    token) echo "--min-ttl" ;;
    login) echo "--device --no-browser --paste --scope" ;;
    import) echo "--dry-run --yes" ;;
  esac
}
# Subcommands whose argument is a credential (or secret) name.
_mcpcred_name_subcommands="token env headers login logout add remove"

_mcpcred_agent_options="-D --foreground -s -c -k --check --config --socket -d --debug --fetch-timeout -t --extra-socket --version --help"
_mcpcred_exec_options="--socket --min-ttl --relay --no-mask --drain-timeout --start-timeout --on-rotate --pass-socket --help"
_mcpcred_remote_options="--socket --open --help"
# Options of any of the programs that take a value.
_mcpcred_valued="--socket --config --fetch-timeout -t --extra-socket --min-ttl --scope --drain-timeout --start-timeout --on-rotate"

# Reads the command line being completed into _mcpcred_args (the words
# before the current one, with "--opt" "=" "value" joined back into one word,
# as bash splits them at "="), _mcpcred_cur (the current word) and
# _mcpcred_prev (the option whose value is being completed, if any).
_mcpcred_read_line() {
  _mcpcred_args=()
  _mcpcred_cur=${COMP_WORDS[COMP_CWORD]}
  _mcpcred_prev=${COMP_WORDS[COMP_CWORD - 1]}
  if [[ $_mcpcred_cur == = ]]; then
    _mcpcred_cur=
    _mcpcred_prev=${COMP_WORDS[COMP_CWORD - 1]}
  elif [[ $_mcpcred_prev == = ]]; then
    _mcpcred_prev=${COMP_WORDS[COMP_CWORD - 2]}
  fi
  local i
  for ((i = 1; i < COMP_CWORD; i++)); do
    if [[ ${COMP_WORDS[i + 1]} == = ]] && ((i + 2 < COMP_CWORD)); then
      _mcpcred_args+=("${COMP_WORDS[i]}=${COMP_WORDS[i + 2]}")
      ((i += 2))
    elif [[ ${COMP_WORDS[i + 1]} == = ]]; then
      break  # the current word is this option's value
    else
      _mcpcred_args+=("${COMP_WORDS[i]}")
    fi
  done
}

# The words of _mcpcred_args that are neither options nor option values,
# up to `--`, into _mcpcred_positional.
_mcpcred_positionals() {
  _mcpcred_positional=()
  local i word
  for ((i = 0; i < ${#_mcpcred_args[@]}; i++)); do
    word=${_mcpcred_args[i]}
    case $word in
      --) break ;;
      --*=*) ;;
      -*) [[ " $_mcpcred_valued " == *" $word "* ]] && ((i++)) ;;
      *) _mcpcred_positional+=("$word") ;;
    esac
  done
}

# The agent's credential names, asked at the --socket of the command line.
_mcpcred_credentials() {
  local socket= i
  for ((i = 0; i < ${#_mcpcred_args[@]}; i++)); do
    case ${_mcpcred_args[i]} in
      --) break ;;
      --socket=*) socket=${_mcpcred_args[i]#--socket=} ;;
      --socket) socket=${_mcpcred_args[i + 1]} ;;
    esac
  done
  local mcpcred=mcpcred
  # mcpcred-exec may be run by path, with mcpcred beside it but not on PATH.
  if ! command -v mcpcred >/dev/null 2>&1; then
    mcpcred=$(dirname -- "${COMP_WORDS[0]}")/mcpcred
  fi
  "$mcpcred" ${socket:+--socket "$socket"} list --names 2>/dev/null
}

# COMPREPLY: the words of $1 that start with the current word.
_mcpcred_reply() {
  local IFS=$' \t\n'
  COMPREPLY=($(compgen -W "$1" -- "$_mcpcred_cur"))
}

_mcpcred_files() {
  local IFS=$'\n'
  COMPREPLY=($(compgen -f -- "$_mcpcred_cur"))
  compopt -o filenames 2>/dev/null
}

_mcpcred() {
  COMPREPLY=()
  _mcpcred_read_line
  case $_mcpcred_prev in
    --socket) _mcpcred_files; return ;;
    --min-ttl | --scope) return ;;
  esac
  _mcpcred_positionals
  local sub=${_mcpcred_positional[0]}
  if [[ $_mcpcred_cur == -* ]]; then
    _mcpcred_reply "$_mcpcred_global_options $(_mcpcred_subcommand_options "$sub")"
  elif [[ -z $sub ]]; then
    _mcpcred_reply "$_mcpcred_subcommands"
  elif [[ " $_mcpcred_name_subcommands " == *" $sub "* ]] &&
    ((${#_mcpcred_positional[@]} == 1)); then
    _mcpcred_reply "$(_mcpcred_credentials)"
  fi
}

_mcpcred_agent() {
  COMPREPLY=()
  _mcpcred_read_line
  case $_mcpcred_prev in
    --config | --socket | --extra-socket) _mcpcred_files; return ;;
    --fetch-timeout | -t) return ;;
  esac
  [[ $_mcpcred_cur == -* ]] && _mcpcred_reply "$_mcpcred_agent_options"
}

_mcpcred_exec() {
  COMPREPLY=()
  _mcpcred_read_line
  # After `--`: COMMAND and its arguments, completed as a command line.
  local i
  for ((i = 1; i < COMP_CWORD; i++)); do
    [[ ${COMP_WORDS[i]} == -- ]] || continue
    if declare -F _command_offset >/dev/null; then
      _command_offset $((i + 1))
    elif ((i + 1 == COMP_CWORD)); then
      COMPREPLY=($(compgen -c -- "$_mcpcred_cur"))
    else
      _mcpcred_files
    fi
    return
  done
  case $_mcpcred_prev in
    --socket) _mcpcred_files; return ;;
    --on-rotate) _mcpcred_reply "restart none signal:HUP signal:USR1 signal:USR2 signal:TERM"; return ;;
    --min-ttl | --drain-timeout | --start-timeout) return ;;
  esac
  if [[ $_mcpcred_cur == -* ]]; then
    _mcpcred_reply "$_mcpcred_exec_options --"
  else
    _mcpcred_reply "$(_mcpcred_credentials)"
  fi
}

_mcpcred_remote() {
  COMPREPLY=()
  _mcpcred_read_line
  [[ $_mcpcred_prev == --socket ]] && { _mcpcred_files; return; }
  if [[ $_mcpcred_cur == -* ]]; then
    _mcpcred_reply "$_mcpcred_remote_options"
    return
  fi
  # NAME, then the URL (nothing to offer).
  _mcpcred_positionals
  ((${#_mcpcred_positional[@]} == 0)) && _mcpcred_reply "$(_mcpcred_credentials)"
}

complete -F _mcpcred mcpcred
complete -F _mcpcred_agent mcpcred-agent
complete -F _mcpcred_exec mcpcred-exec
complete -F _mcpcred_remote mcpcred-remote
