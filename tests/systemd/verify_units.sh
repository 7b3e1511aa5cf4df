#!/usr/bin/env bash
# Checks the configured systemd user units: the contract lines DESIGN.md
# promises, then `systemd-analyze verify` on a copy whose ExecStart points at
# an existing binary (the agent need not be built or installed). The opt-in
# file-system sandbox written as a comment in the service is verified too, as
# a drop-in.
#
# Usage: verify_units.sh UNIT_DIR   (the build tree's systemd/ directory)
# Exit:  0 all good; 1 a unit is wrong (any verify message about our units
#        counts); 77 skipped: systemd-analyze is missing or cannot start here.
#
# Works as root in a container without a running systemd: `verify --user`
# only needs an XDG_RUNTIME_DIR, which this script makes; HOME and the XDG
# directories point at empty temporary ones too, so the caller's own units
# and drop-ins do not leak into the check.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 UNIT_DIR" >&2
  exit 2
fi
unit_dir=$1
service=mcpcred-agent.service
socket=mcpcred-agent.socket

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

for unit in "$service" "$socket"; do
  [[ -f $unit_dir/$unit ]] || fail "$unit_dir/$unit not found (was the tree configured?)"
done

# --- The contract, on the files as configured.
require_line() { # FILE REGEX WHAT
  grep -Eq -- "$2" "$1" || fail "$(basename "$1"): no line matching '$2' ($3)"
}
for unit in "$service" "$socket"; do
  if grep -En '@[A-Za-z_]+@' "$unit_dir/$unit"; then
    fail "$unit: unsubstituted @VAR@ left by configure_file"
  fi
done
require_line "$unit_dir/$socket" '^ListenStream=%t/mcpcred/agent\.sock$' 'socket path'
require_line "$unit_dir/$socket" '^SocketMode=0600$' 'socket mode'
require_line "$unit_dir/$socket" '^DirectoryMode=0700$' 'socket directory mode'
require_line "$unit_dir/$socket" '^WantedBy=sockets\.target$' 'install target'
require_line "$unit_dir/$service" '^Type=notify$' 'readiness'
require_line "$unit_dir/$service" '^ExecStart=/[^ ]*/mcpcred-agent -D$' 'absolute agent path, foreground'
require_line "$unit_dir/$service" '^Restart=on-failure$' 'restart policy'
require_line "$unit_dir/$service" '^Environment=MCPCRED_SOCK=%t/mcpcred/agent\.sock$' 'socket for children'
require_line "$unit_dir/$service" '^Requires=mcpcred-agent\.socket$' 'socket comes along'

# --- systemd-analyze verify.
if ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "SKIP: systemd-analyze is not installed (Debian package 'systemd')"
  exit 77
fi

true_bin=
for candidate in /usr/bin/true /bin/true; do
  if [[ -x $candidate ]]; then
    true_bin=$candidate
    break
  fi
done
[[ -n $true_bin ]] || fail "no true(1) binary to stand in for the agent"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -m 0700 "$work/runtime" "$work/home" "$work/units"
cp "$unit_dir/$service" "$unit_dir/$socket" "$work/units/"
sed -i -E "s|^ExecStart=([-@:+!]*)[^ ]+|ExecStart=\\1$true_bin|" "$work/units/$service"
grep -q "^ExecStart=$true_bin -D\$" "$work/units/$service" \
  || fail "could not point ExecStart at $true_bin"

# MODE is "--user" or "" (system manager). Output goes to $work/out.
run_verify() {
  local mode=$1
  local args=(verify --man=no --recursive-errors=no)
  [[ -n $mode ]] && args+=("$mode")
  env HOME="$work/home" XDG_RUNTIME_DIR="$work/runtime" \
    XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share" \
    XDG_STATE_HOME="$work/home/.local/state" SYSTEMD_PAGER= SYSTEMD_COLORS=0 \
    systemd-analyze "${args[@]}" "$work/units/$socket" "$work/units/$service" \
    >"$work/out" 2>&1
}

# True when the output says the manager could not even start (nothing was
# verified), as opposed to a complaint about a unit.
manager_failed() {
  grep -Eq 'Failed to (initialize|allocate|set up) (the )?manager|Failed to lookup RuntimeDirectory' "$work/out"
}

# Lines that name another unit or file; anything else counts as ours.
is_about_other_unit() {
  local line=$1
  [[ $line == *mcpcred* ]] && return 1
  [[ $line =~ ^/[^:]+:[0-9]+: ]] && return 0
  [[ $line =~ ^[A-Za-z0-9@._-]+\.(service|socket|target|slice|mount|path|timer|scope):\  ]] && return 0
  return 1
}

# Verifies the units in $work/units; LABEL names what is being checked.
verify_units() {
  local label=$1 mode rc
  for mode in --user ""; do
    rc=0
    run_verify "$mode" || rc=$?
    if manager_failed; then
      echo "note: systemd-analyze verify ${mode:-(system)} cannot start its manager here:"
      sed 's/^/  /' "$work/out"
      continue
    fi
    local bad=0 line
    while IFS= read -r line; do
      [[ -z $line ]] && continue
      if is_about_other_unit "$line"; then
        echo "note (not about our units): $line"
      else
        echo "verify: $line" >&2
        bad=1
      fi
    done <"$work/out"
    if [[ $rc -ne 0 || $bad -ne 0 ]]; then
      fail "$label: systemd-analyze verify ${mode:-(system)} exited $rc with the messages above"
    fi
    echo "ok: $label (systemd-analyze verify ${mode:-(system mode)}, $(systemd-analyze --version | head -n1))"
    return 0
  done
  echo "SKIP: systemd-analyze verify cannot run in this environment (see notes above)"
  exit 77
}

verify_units "units as installed"

# The opt-in sandbox from the service's comments, as a drop-in.
dropin_dir="$work/units/$service.d"
mkdir "$dropin_dir"
sed -n '/^# >>> file-system sandbox$/,/^# <<< file-system sandbox$/p' "$work/units/$service" \
  | sed -n 's/^#   //p' >"$dropin_dir/sandbox.conf"
grep -q '^\[Service\]$' "$dropin_dir/sandbox.conf" \
  || fail "$service: the '# >>> file-system sandbox' block is missing or empty"
verify_units "units with the opt-in file-system sandbox drop-in"
