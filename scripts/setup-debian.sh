#!/usr/bin/env bash
# Installs what building and testing mcpcred needs on Debian 12.
#
# Idempotent and quick to re-run: packages already installed are found with
# dpkg-query and nothing else happens; the package lists are refreshed only
# when something is missing. Runs as root, or through sudo otherwise. Never
# prompts (safe with no stdin, e.g. in CI).
set -euo pipefail

packages=(
  # Toolchain.
  build-essential cmake ninja-build pkg-config git clang-format
  # The sanitizer build (scripts/sanitize.sh): Clang and its sanitizer
  # runtimes.
  clang libclang-rt-14-dev
  # Libraries.
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libssl-dev libsecret-1-dev libcurl4-openssl-dev
  libtomlplusplus-dev nlohmann-json3-dev libcli11-dev
  # Tests and benchmarks.
  libgtest-dev libgmock-dev libbenchmark-dev
  # Runtime parts the tests drive for real: systemd-analyze, the Secret
  # Service (gnome-keyring on a D-Bus session), and util-linux tools.
  systemd gnome-keyring dbus dbus-x11 libsecret-tools util-linux
  # `confirm` through a desktop notification: a real dunst on a virtual X
  # server (tests/integration/notification_test.cc).
  dunst xvfb
  # The end-to-end authorization server and the TypeScript client run on Node.
  nodejs npm
  # The Python client: Debian's gRPC, protobuf and httpx; venv for the
  # offline-install test.
  python3-grpcio python3-protobuf python3-httpx python3-venv
  # The demo's random secret; TLS roots for npm and HTTPS.
  openssl ca-certificates
  # Packaging (tests/packaging): man pages rendered with groff and man-db,
  # the completions run in bash, fish and zsh, the .deb (dpkg-shlibdeps)
  # installed into a debootstrapped Debian 12.
  groff-base man-db bash-completion fish zsh dpkg-dev debootstrap
)

# Installed means dpkg says "install ok installed"; anything else (absent,
# half-configured, removed with config left) gets installed.
# A package also counts as present when the command it is wanted for is
# already there from elsewhere: a Node.js build that bundles npm (as some
# vendor builds do, which then conflict with Debian's npm package).
satisfied_by_command() {
  case $1 in
    npm) command -v npm >/dev/null 2>&1 ;;
    *) return 1 ;;
  esac
}

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  if [[ $status != "install ok installed" ]] && ! satisfied_by_command "$pkg"; then
    missing+=("$pkg")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "setup-debian: all ${#packages[@]} packages are present"
  exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  # -n: fail rather than wait for a password nobody can type (CI).
  as_root=(sudo -n)
  if [[ -t 0 ]]; then as_root=(sudo); fi
else
  echo "setup-debian: missing packages: ${missing[*]}" >&2
  echo "setup-debian: run this script as root (sudo is not installed)" >&2
  exit 1
fi

echo "setup-debian: installing ${missing[*]}"
apt_opts=(-y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install "${apt_opts[@]}" --no-install-recommends "${missing[@]}" </dev/null
echo "setup-debian: done"
