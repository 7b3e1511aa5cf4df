# Hardening flags on release builds (RelWithDebInfo, the default, and
# Release), as OpenSSH's configure picks them: _FORTIFY_SOURCE, the stack
# protector and stack clash protection, PIE, full RELRO, a non-executable
# stack, and zeroing the call-used registers on return where the compiler
# has it. tests/hardening/check_hardening.sh checks the built programs and a
# plugin (ctest hardening_flags). Off with -DMCPCRED_HARDENING=OFF, and in a
# sanitizer build (the sanitizers' interceptors and _FORTIFY_SOURCE's
# checking functions get in each other's way).
include(CheckCXXCompilerFlag)
include(CheckCXXSourceCompiles)
option(MCPCRED_HARDENING "Hardening flags on release builds" ON)

set(MCPCRED_HARDENED OFF)
if(MCPCRED_HARDENING AND NOT MCPCRED_SANITIZE AND NOT MCPCRED_BUILD_FUZZERS
    AND CMAKE_BUILD_TYPE MATCHES "^(RelWithDebInfo|Release)$")
  set(MCPCRED_HARDENED ON)
  # Level 3 needs __builtin_dynamic_object_size (GCC 12, Clang 9) and glibc
  # 2.34 (Debian 12 has 2.36); level 2 otherwise.
  check_cxx_source_compiles([[
    #include <features.h>
    #if !__GLIBC_PREREQ(2, 34) || !defined(__has_builtin)
    #error no level 3
    #elif !__has_builtin(__builtin_dynamic_object_size)
    #error no level 3
    #endif
    int main() { return 0; }]] MCPCRED_HAVE_FORTIFY_3)
  if(MCPCRED_HAVE_FORTIFY_3)
    set(MCPCRED_FORTIFY_LEVEL 3)
  else()
    set(MCPCRED_FORTIFY_LEVEL 2)
  endif()
  add_compile_options(-U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=${MCPCRED_FORTIFY_LEVEL}
    -fstack-protector-strong)
  foreach(flag -fstack-clash-protection -fzero-call-used-regs=used
      -fcf-protection)
    string(MAKE_C_IDENTIFIER "MCPCRED_HAVE${flag}" var)
    check_cxx_compiler_flag(${flag} ${var})
    if(${var})
      add_compile_options(${flag})
    endif()
  endforeach()
  # PIE: CMAKE_POSITION_INDEPENDENT_CODE is on (top-level CMakeLists.txt);
  # POSITION_INDEPENDENT_CODE links executables with -pie through policy
  # CMP0083 and check_pie_supported.
  include(CheckPIESupported)
  check_pie_supported()
  add_link_options(-Wl,-z,relro,-z,now -Wl,-z,noexecstack)
  message(STATUS "Hardening: _FORTIFY_SOURCE=${MCPCRED_FORTIFY_LEVEL}, "
    "stack protector, PIE, full RELRO, noexecstack")
endif()
