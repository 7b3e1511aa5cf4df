#!/usr/bin/env bash
# MCPCRED_ENTRY is type-checked in C and C++: table.c compiles cleanly and
# runs, and with -DWRONG_TYPE it fails to compile with a type error.
# Usage: check.sh C_COMPILER CXX_COMPILER INCLUDE_DIR
set -euo pipefail
cc=$1
cxx=$2
include=$3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$cc" -std=c99 -Wall -Wextra -pedantic -Werror -I"$include" \
  "$here/table.c" -o "$work/c"
"$work/c"
cp "$here/table.c" "$work/table.cc"
"$cxx" -std=c++17 -Wall -Wextra -Werror -I"$include" "$work/table.cc" \
  -o "$work/cxx"
"$work/cxx"
echo "well-typed table: compiles and runs as C and C++"

if "$cc" -std=c99 -Werror -I"$include" -DWRONG_TYPE -fsyntax-only \
  "$here/table.c" 2>"$work/c.err"; then
  echo "C: a mistyped entry compiled" >&2
  exit 1
fi
grep -q "pointer type mismatch" "$work/c.err"
if "$cxx" -std=c++17 -I"$include" -DWRONG_TYPE -fsyntax-only \
  "$work/table.cc" 2>"$work/cxx.err"; then
  echo "C++: a mistyped entry compiled" >&2
  exit 1
fi
# GCC: "distinct pointer types"; Clang: "incompatible operand types".
grep -Eq "distinct pointer types|incompatible operand types" "$work/cxx.err"
echo "mistyped entry: refused by C and C++"
