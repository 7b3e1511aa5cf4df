#!/usr/bin/env bash
# Builds Debian's own Abseil (the source package of the installed
# libabsl-dev, with Debian's patches) under ThreadSanitizer, as shared
# libraries with Debian's sonames, and installs it into a prefix:
#
#   scripts/tsan-abseil.sh PREFIX
#
# Why: TSan only sees the synchronisation of instrumented code. Debian's
# libabsl_synchronization is not, so every absl::Mutex would look like no
# lock at all. The TSan tree (scripts/sanitize.sh thread) compiles against
# PREFIX/include and links with an RPATH on PREFIX/lib, so that mcpcred and
# Debian's gRPC (which needs the same sonames) both use the instrumented
# Abseil in every process a test starts.
#
# The source comes through apt from the deb-src twins of the machine's own
# apt sources, kept in a private apt state under PREFIX.src (the system's
# apt configuration is not touched). Idempotent: PREFIX/.version records
# the Debian version built; a second run with the same version does nothing.
#
# Environment: JOBS (default 2).
set -euo pipefail

prefix=${1:?usage: scripts/tsan-abseil.sh PREFIX}
jobs=${JOBS:-2}
version=$(dpkg-query -W -f='${Version}' libabsl-dev)
if [[ -f $prefix/.version && $(<"$prefix/.version") == "$version" ]]; then
  echo "tsan-abseil: Abseil $version with TSan already in $prefix"
  exit 0
fi

work=$prefix.src
rm -rf "$work"
mkdir -p "$work/sources.list.d" "$work/lists/partial" "$work/cache/archives/partial"

# deb-src twins of every deb source: deb822 files and one-line lists.
shopt -s nullglob
for file in /etc/apt/sources.list.d/*.sources; do
  sed 's/^Types:.*/Types: deb-src/' "$file" >"$work/sources.list.d/${file##*/}"
done
for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
  [[ -f $file ]] || continue
  sed -n 's/^deb\s/deb-src /p' "$file" >"$work/sources.list.d/${file##*/}"
done
shopt -u nullglob

apt_options=(
  -o "Dir::Etc::SourceList=/dev/null"
  -o "Dir::Etc::SourceParts=$work/sources.list.d"
  -o "Dir::State::Lists=$work/lists"
  -o "Dir::Cache=$work/cache"
  -o "APT::Sandbox::User=root"
  -o "Debug::NoLocking=1"
  -qq
)
echo "tsan-abseil: fetching the source of Abseil $version"
apt-get "${apt_options[@]}" update </dev/null
(cd "$work" && apt-get "${apt_options[@]}" source --download-only \
  "abseil=$version" </dev/null)
dsc=$(ls "$work"/abseil_*.dsc)
dpkg-source --no-check -x "$dsc" "$work/abseil" >/dev/null

# Debian's own configuration (debian/rules): C++17, shared libraries.
echo "tsan-abseil: building with -fsanitize=thread"
start=$(date +%s)
CC=clang CXX=clang++ cmake -S "$work/abseil" -B "$work/build" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_STANDARD=17 \
  -DBUILD_SHARED_LIBS=ON -DBUILD_TESTING=OFF \
  -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_LIBDIR=lib \
  -DCMAKE_C_FLAGS="-fsanitize=thread" -DCMAKE_CXX_FLAGS="-fsanitize=thread" \
  -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=thread" >/dev/null
cmake --build "$work/build" -j "$jobs" >/dev/null
rm -rf "$prefix"
cmake --install "$work/build" >/dev/null
echo "$version" >"$prefix/.version"
rm -rf "$work"
echo "tsan-abseil: built in $(($(date +%s) - start)) s, installed in $prefix"
