#!/usr/bin/env bash
# Checks that each ELF file given was built with the release hardening flags
# (cmake/MCPCredHardening.cmake): PIE (type DYN for a program), full RELRO
# (GNU_RELRO and BIND_NOW), a non-executable stack, the stack protector
# (__stack_chk_fail) and _FORTIFY_SOURCE (a __*_chk function). Prints one
# line per failed property and exits 1 if any failed.
set -euo pipefail

status=0
fail() {
  echo "hardening: $1: $2" >&2
  status=1
}

for file in "$@"; do
  if [[ ! -f $file ]]; then
    fail "$file" "missing"
    continue
  fi
  header=$(readelf -h -W "$file")
  segments=$(readelf -l -W "$file")
  dynamic=$(readelf -d -W "$file")
  symbols=$(readelf --dyn-syms -W "$file")
  grep -q 'Type:[[:space:]]*DYN' <<<"$header" ||
    fail "$file" "not position-independent (ELF type is not DYN)"
  grep -q 'GNU_RELRO' <<<"$segments" || fail "$file" "no GNU_RELRO segment"
  grep -Eq '\(BIND_NOW\)|FLAGS.*\bNOW\b' <<<"$dynamic" ||
    fail "$file" "no BIND_NOW (partial RELRO only)"
  if grep 'GNU_STACK' <<<"$segments" | grep -q 'RWE'; then
    fail "$file" "executable stack"
  fi
  grep -q '__stack_chk_fail' <<<"$symbols" ||
    fail "$file" "no __stack_chk_fail (stack protector missing)"
  grep -Eq '__[a-z_]+_chk' <<<"$symbols" ||
    fail "$file" "no __*_chk function (_FORTIFY_SOURCE missing)"
done

if [[ $status -eq 0 ]]; then
  echo "hardening: $# files have PIE, full RELRO, NX stack, stack protector" \
    "and _FORTIFY_SOURCE"
fi
exit "$status"
