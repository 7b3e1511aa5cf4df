# Warnings as errors on the project's own code only (not generated protobuf code).
# With Clang, -Wthread-safety checks every ABSL_GUARDED_BY and
# ABSL_EXCLUSIVE_LOCKS_REQUIRED annotation at compile time (GCC has no such
# analysis); scripts/sanitize.sh builds with Clang, so CI runs it.
include(CheckCXXCompilerFlag)
set(MCPCRED_WARNING_FLAGS -Wall -Wextra -Werror -Wno-unused-parameter)
if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  list(APPEND MCPCRED_WARNING_FLAGS -Wthread-safety)
endif()

function(mcpcred_warnings target)
  target_compile_options(${target} PRIVATE ${MCPCRED_WARNING_FLAGS})
endfunction()
