#!/usr/bin/env bash
# The man pages: each renders without a warning (groff -ww, and man-db's
# `man --warnings`), and each program's page names every long option its
# --help prints (for mcpcred, every subcommand and its options too), so that
# the pages cannot fall behind the programs.
#
# Usage: man_test.sh BIN_DIR MAN_DIR (the configured pages of the build tree)
set -euo pipefail
bin_dir=$1
man_dir=$2
source "$(dirname "${BASH_SOURCE[0]}")/help_options.sh"

for tool in groff man; do
  if ! command -v $tool >/dev/null; then
    echo "SKIP: $tool is not installed (scripts/setup-debian.sh installs it)"
    exit 77
  fi
done

failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

for page in mcpcred.1 mcpcred-agent.1 mcpcred-exec.1 mcpcred-remote.1 mcpcred.toml.5; do
  file=$man_dir/$page
  [[ -f $file ]] || { fail "$file is missing"; continue; }
  warnings=$(groff -man -Tutf8 -ww -z "$file" 2>&1 >/dev/null)
  [[ -z $warnings ]] || fail "groff warns about $page: $warnings"
  warnings=$(MANWIDTH=80 man --warnings -l "$file" 2>&1 >/dev/null)
  [[ -z $warnings ]] || fail "man warns about $page: $warnings"
  rendered=$(MANWIDTH=80 man -l "$file" 2>/dev/null)
  [[ $rendered == *NAME* && $rendered == *DESCRIPTION* ]] ||
    fail "$page renders without NAME or DESCRIPTION"
done

# The page's source with roff's \- as a plain hyphen.
plain_source() { sed 's/\\-/-/g' "$man_dir/$1"; }

for program in mcpcred mcpcred-agent mcpcred-exec mcpcred-remote; do
  source_text=$(plain_source "$program.1")
  for option in $(long_options "$program"); do
    grep -qE -- "(^|[^a-z0-9-])${option}([^a-z0-9-]|\$)" <<<"$source_text" ||
      fail "$program --help names $option, which $program.1 does not"
  done
done

# Every subcommand has an entry (.TP, then a line starting with its name).
entries=$(plain_source mcpcred.1 | awk 'prev == ".TP" { print } { prev = $0 }' |
  sed -E 's/^\.[A-Z]+ +"?//' | awk '{ print $1 }')
for sub in $(mcpcred_subcommands); do
  grep -qxF -- "$sub" <<<"$entries" || fail "mcpcred.1 has no entry for subcommand $sub"
done

if ((failures > 0)); then
  echo "$failures failure(s)"
  exit 1
fi
echo "man pages: all render cleanly and name every option"
