#!/usr/bin/env bash
# The Debian package on a clean Debian 12: builds it with `cpack -G DEB`,
# installs it with apt (which resolves its Depends) into a fresh minimal
# bookworm root made by debootstrap, and there, as an ordinary user:
# `mcpcred-agent --check` on the installed example config (which also loads
# the agent's modules, whose libraries the package must depend on), the agent started
# with it on a socket in /tmp, `mcpcred status` (the plugins found where the
# package put them), `mcpcred add` into the file store, and `mcpcred-exec`
# handing a credential to `env`. Also checks that the units, man pages and
# completions are where systemd, man and the shells look.
#
# The bookworm root is made once (from the Debian mirror this machine's apt
# uses) and cached in the build tree (packaging/bookworm); each run works on
# a copy of it, so that every install starts clean. The .debs apt downloads
# are cached beside it. Needs root (chroot, mounts); skipped (77) without.
#
# Usage: deb_test.sh BUILD_DIR
set -euo pipefail
build_dir=$(cd "$1" && pwd)
cache=$build_dir/packaging
root_cache=$cache/bookworm
started=$SECONDS

skip() {
  echo "SKIP: $*"
  exit 77
}
die() {
  echo "FAIL: $*"
  exit 1
}
step() { echo "== $* ($((SECONDS - started)) s)"; }

[[ $(id -u) -eq 0 ]] || skip "needs root for debootstrap, chroot and mounts"
command -v debootstrap >/dev/null ||
  skip "debootstrap is not installed (scripts/setup-debian.sh installs it)"
command -v unshare >/dev/null || skip "unshare (util-linux) is not installed"

# The Debian mirror this machine's apt uses for bookworm, so that no host is
# named here: deb822 .sources files first, then sources.list.
debian_mirror() {
  local file
  for file in /etc/apt/sources.list.d/*.sources; do
    [[ -f $file ]] || continue
    awk '
      /^[[:space:]]*$/ { if (uri != "" && suite) { print uri; exit } uri = ""; suite = 0; next }
      /^URIs:/ { uri = $2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == "bookworm") suite = 1 }
      END { if (uri != "" && suite) print uri }' "$file"
  done
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f $file ]] || continue
    awk '$1 == "deb" && $0 ~ / bookworm / { for (i = 2; i <= NF; i++) if ($i ~ /:\/\//) { print $i; exit } }' "$file"
  done
}

step "cpack -G DEB"
rm -rf "$cache/deb"
mkdir -p "$cache/deb"
(cd "$build_dir" && cpack -G DEB -B "$cache/deb" >"$cache/cpack.log" 2>&1) ||
  { tail -30 "$cache/cpack.log"; die "cpack failed (log: $cache/cpack.log)"; }
deb=$(ls "$cache"/deb/mcpcred_*.deb 2>/dev/null | head -1)
[[ -n $deb ]] || die "cpack made no mcpcred_*.deb in $cache/deb"
echo "package: $(basename "$deb"), $(du -k "$deb" | cut -f1) KiB"
dpkg-deb -f "$deb" Package Version Depends Recommends | sed 's/^/  /'

if [[ ! -f $root_cache/.complete ]]; then
  mirror=$(debian_mirror | sed -n 1p)
  [[ -n $mirror ]] || skip "no Debian bookworm mirror in /etc/apt/sources.list*"
  step "debootstrap --variant=minbase bookworm (once; cached in $root_cache)"
  rm -rf "$root_cache"
  debootstrap --variant=minbase bookworm "$root_cache" "$mirror" \
    >"$cache/debootstrap.log" 2>&1 ||
    { tail -20 "$cache/debootstrap.log"; die "debootstrap failed (log: $cache/debootstrap.log)"; }
  # The same Debian sources as this machine (security updates included).
  rm -f "$root_cache/etc/apt/sources.list"
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
    [[ -f $file ]] || continue
    grep -qE 'debian' "$file" || continue
    cp "$file" "$root_cache$file"
  done
  touch "$root_cache/.complete"
fi

step "a fresh copy of the clean root"
root=$cache/root
rm -rf "$root"
trap 'rm -rf "$root"' EXIT
cp -a "$root_cache" "$root"
mkdir -p "$cache/archives/partial"
# The root's own device nodes (debootstrap made them), never this machine's
# /dev: nothing run in the root can change this machine's devices.
for node in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
  IFS=: read -r name major minor <<<"$node"
  if [[ ! -c $root/dev/$name ]]; then
    rm -f "$root/dev/$name"
    mknod -m 0666 "$root/dev/$name" c "$major" "$minor"
  fi
done
cp "$deb" "$root/tmp/"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true

# The script run inside the root, as root: install, then test as a user.
cat >"$root/tmp/inside.sh" <<'INSIDE'
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8
echo "-- apt-get install ./$(basename /tmp/mcpcred_*.deb)"
apt-get update -q >/tmp/apt.log 2>&1 || { cat /tmp/apt.log; exit 1; }
apt-get install -y -q --no-install-recommends /tmp/mcpcred_*.deb >>/tmp/apt.log 2>&1 ||
  { tail -30 /tmp/apt.log; exit 1; }

fail() { echo "FAIL (in the Debian 12 root): $*"; exit 1; }
for path in /usr/bin/mcpcred /usr/bin/mcpcred-agent /usr/bin/mcpcred-exec /usr/bin/mcpcred-remote \
  /usr/lib/systemd/user/mcpcred-agent.service /usr/lib/systemd/user/mcpcred-agent.socket \
  /usr/share/man/man1/mcpcred.1 /usr/share/man/man1/mcpcred-agent.1 /usr/share/man/man1/mcpcred-exec.1 \
  /usr/share/man/man1/mcpcred-remote.1 /usr/share/man/man5/mcpcred.toml.5 \
  /usr/share/bash-completion/completions/mcpcred /usr/share/bash-completion/completions/mcpcred-exec \
  /usr/share/zsh/vendor-completions/_mcpcred /usr/share/fish/vendor_completions.d/mcpcred.fish \
  /usr/share/doc/mcpcred/examples/config.toml \
  /usr/lib/mcpcred/modules/http.so /usr/lib/mcpcred/modules/secret-service.so \
  /usr/lib/mcpcred/modules/desktop-notifier.so; do
  [[ -e $path ]] || fail "$path is not installed"
done
grep -qx 'ExecStart=/usr/bin/mcpcred-agent -D' /usr/lib/systemd/user/mcpcred-agent.service ||
  fail "the unit does not start /usr/bin/mcpcred-agent: $(grep ExecStart /usr/lib/systemd/user/mcpcred-agent.service)"
dpkg -L mcpcred | grep '/mcpcred/plugins/.*\.so$' | sed 's/^/   plugin /'
dpkg -L mcpcred | grep '/mcpcred/modules/.*\.so$' | sed 's/^/   module /'

useradd -m tester
runuser -u tester -- bash -eu -o pipefail -c '
  fail() { echo "FAIL (in the Debian 12 root, as tester): $*"; exit 1; }
  export HOME=/home/tester
  # The example config: openai from the environment, sentry from a file,
  # linear from the store (the encrypted file: no Secret Service here).
  export OPENAI_API_KEY=deb-test-$RANDOM$RANDOM$RANDOM
  mkdir -p ~/.config/mcpcred
  echo "deb-test-sentry-$RANDOM$RANDOM" >~/.config/mcpcred/sentry.token
  chmod 600 ~/.config/mcpcred/sentry.token
  example=/usr/share/doc/mcpcred/examples/config.toml

  echo "-- mcpcred-agent --check --config $example"
  mcpcred-agent --check --config "$example" || fail "--check refused the example config"

  dir=$(mktemp -d /tmp/mcpcred-deb-XXXXXX)
  export MCPCRED_SOCK=$dir/agent.sock
  echo "-- mcpcred-agent -s --config $example (socket $MCPCRED_SOCK)"
  eval "$(mcpcred-agent -s --config "$example")" >/dev/null
  echo "-- mcpcred status"
  mcpcred status | sed "s/^/   /"
  mcpcred status | grep -q "static" || fail "the agent found no static plugin"

  echo "-- mcpcred-exec openai -- env"
  got=$(mcpcred-exec openai -- env | sed -n "s/^OPENAI_API_KEY=//p")
  [[ $got == "$OPENAI_API_KEY" ]] || fail "mcpcred-exec did not hand OPENAI_API_KEY over"

  echo "-- mcpcred add linear; mcpcred-exec linear -- env"
  linear=deb-test-linear-$RANDOM$RANDOM
  printf "%s\n" "$linear" | mcpcred add linear
  got=$(mcpcred-exec linear -- env | sed -n "s/^LINEAR_API_KEY=//p")
  [[ $got == "$linear" ]] || fail "the stored secret did not reach mcpcred-exec"
  mcpcred list | sed "s/^/   /"

  socket=$MCPCRED_SOCK
  eval "$(mcpcred-agent -k)" >/dev/null
  for _ in $(seq 50); do [[ -e $socket ]] || break; sleep 0.1; done
  [[ ! -e $socket ]] || fail "the agent left its socket behind"
  echo "-- ok"
'
INSIDE

step "install and run in the Debian 12 root"
# A private mount and pid namespace: /proc and the apt cache are mounted for
# the root alone, and every process started there ends with it.
unshare --mount --pid --fork --propagation private bash -euc '
  root=$1 archives=$2
  mount -t proc proc "$root/proc"
  mount --bind "$archives" "$root/var/cache/apt/archives"
  chroot "$root" /bin/bash /tmp/inside.sh
' bash "$root" "$cache/archives"

step "done"
