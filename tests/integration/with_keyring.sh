#!/bin/sh
# Runs COMMAND inside a private D-Bus session with a real, unlocked
# gnome-keyring answering as the Secret Service, then tears both down:
#
#   tests/integration/with_keyring.sh COMMAND [ARG...]
#
# The keyring lives in a fresh temporary directory (never the user's own),
# created with a fixed test password. Exits 77 (ctest's skip code) when the
# tools are missing; otherwise with COMMAND's status.
set -u

if [ "$#" -eq 0 ]; then
  echo "usage: with_keyring.sh COMMAND [ARG...]" >&2
  exit 2
fi
for tool in dbus-run-session gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "with_keyring.sh: $tool is not installed (apt install dbus gnome-keyring)" >&2
    exit 77
  fi
done

dir=$(mktemp -d "${TMPDIR:-/tmp}/mcpcred-keyring-XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
mkdir -m 700 "$dir/run" "$dir/data"
# gnome-keyring keeps its files in $XDG_DATA_HOME/keyrings and its control
# socket in $XDG_RUNTIME_DIR/keyring: both private to this run.
export XDG_RUNTIME_DIR="$dir/run" XDG_DATA_HOME="$dir/data"

# --unlock reads the login keyring's password on stdin (and creates the
# keyring with it the first time); its stdout is a list of variables that the
# private session does not need. The daemon does not always exit when its bus
# goes away, so it is stopped by its pid, asked of the bus, once COMMAND ends.
dbus-run-session -- sh -c '
  printf %s mcpcred-test-password |
    gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 1
  keyring_pid=$(dbus-send --session --print-reply=literal \
      --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.GetConnectionUnixProcessID \
      string:org.freedesktop.secrets 2>/dev/null | awk "{print \$2}")
  "$@"
  status=$?
  if [ -n "$keyring_pid" ]; then kill "$keyring_pid" 2>/dev/null; fi
  exit $status' with_keyring "$@"
