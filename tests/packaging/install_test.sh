#!/usr/bin/env bash
# `cmake --install` into a fresh prefix: the programs, plugins, modules, units, man
# pages, completions and examples land where the agent, systemd, man and the
# shells look for them under that prefix, and what names a path names that
# prefix (not the configured one). The installed agent finds its installed
# plugins: `--check` accepts the installed example config.
#
# Usage: install_test.sh BUILD_DIR
set -euo pipefail
build_dir=$(cd "$1" && pwd)
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT

failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

cmake --install "$build_dir" --prefix "$prefix" >"$prefix.log" 2>&1 ||
  { cat "$prefix.log"; rm -f "$prefix.log"; echo "FAIL: cmake --install"; exit 1; }
rm -f "$prefix.log"

libdir=$(sed -n 's/^CMAKE_INSTALL_LIBDIR:PATH=//p' "$build_dir/CMakeCache.txt")
for path in bin/mcpcred bin/mcpcred-agent bin/mcpcred-exec bin/mcpcred-remote \
  "$libdir/mcpcred/plugins/static.so" "$libdir/mcpcred/plugins/oauth2.so" \
  "$libdir/mcpcred/plugins/github-app.so" "$libdir/mcpcred/plugins/command.so" \
  "$libdir/mcpcred/modules/http.so" "$libdir/mcpcred/modules/secret-service.so" \
  "$libdir/mcpcred/modules/desktop-notifier.so" \
  lib/systemd/user/mcpcred-agent.service lib/systemd/user/mcpcred-agent.socket \
  share/man/man1/mcpcred.1 share/man/man1/mcpcred-agent.1 share/man/man1/mcpcred-exec.1 \
  share/man/man1/mcpcred-remote.1 share/man/man5/mcpcred.toml.5 \
  share/bash-completion/completions/mcpcred share/bash-completion/completions/mcpcred-agent \
  share/bash-completion/completions/mcpcred-exec share/bash-completion/completions/mcpcred-remote \
  share/zsh/vendor-completions/_mcpcred \
  share/fish/vendor_completions.d/mcpcred.fish share/fish/vendor_completions.d/mcpcred-agent.fish \
  share/fish/vendor_completions.d/mcpcred-exec.fish share/fish/vendor_completions.d/mcpcred-remote.fish \
  share/fish/vendor_functions.d/__mcpcred_credentials.fish \
  share/doc/mcpcred/examples/config.toml share/doc/mcpcred/examples/demo.toml; do
  [[ -e $prefix/$path ]] || fail "$path is not installed"
done

grep -qx "ExecStart=$prefix/bin/mcpcred-agent -D" "$prefix/lib/systemd/user/mcpcred-agent.service" ||
  fail "the installed unit does not start $prefix/bin/mcpcred-agent: $(grep ExecStart "$prefix/lib/systemd/user/mcpcred-agent.service")"
grep -qF "$prefix/$libdir/mcpcred/plugins" "$prefix/share/man/man1/mcpcred-agent.1" ||
  fail "mcpcred-agent.1 does not name the installed plugin directory"
if grep -rq '@[A-Z_]*@' "$prefix/share/man" "$prefix/lib/systemd"; then
  fail "an installed file kept a @VARIABLE@: $(grep -rl '@[A-Z_]*@' "$prefix/share/man" "$prefix/lib/systemd")"
fi

# The installed agent, with no plugin path from the environment, finds the
# installed plugins and its internal modules (--check loads each); the
# example's env: and file: references resolve.
home=$(mktemp -d)
mkdir -p "$home/.config/mcpcred"
echo "install-test-$RANDOM" >"$home/.config/mcpcred/sentry.token"
chmod 600 "$home/.config/mcpcred/sentry.token"
out=$(env -i PATH=/usr/bin:/bin HOME="$home" OPENAI_API_KEY=install-test \
  "$prefix/bin/mcpcred-agent" --check --config "$prefix/share/doc/mcpcred/examples/config.toml" 2>&1) ||
  fail "the installed agent refused the installed example config: $out"
rm -rf "$home"

if ((failures > 0)); then
  echo "$failures failure(s)"
  exit 1
fi
echo "cmake --install: everything where it is looked for under $prefix"
