# MCPCRED_SANITIZE: build the project's own code (libraries, programs,
# plugins, tests) with the named sanitizers, e.g. -DMCPCRED_SANITIZE=
# address,undefined or -DMCPCRED_SANITIZE=thread. Empty (the default): none.
#
# The flags apply to every target of this project, compile and link; the
# libraries it links from Debian (gRPC, protobuf, Abseil, OpenSSL) stay as
# they are, uninstrumented. Every sanitizer finding aborts the process
# (-fno-sanitize-recover), so that a test fails on it. scripts/sanitize.sh
# builds and runs the unit and integration suites this way; see
# docs/SANITIZERS.md.
set(MCPCRED_SANITIZE "" CACHE STRING
  "Sanitizers for the project's own code: address,undefined or thread (empty: none)")

set(MCPCRED_SANITIZE_THREAD OFF)
if(MCPCRED_SANITIZE)
  string(REPLACE "," ";" mcpcred_sanitizers "${MCPCRED_SANITIZE}")
  foreach(sanitizer IN LISTS mcpcred_sanitizers)
    if(NOT sanitizer MATCHES "^(address|undefined|leak|thread)$")
      message(FATAL_ERROR "MCPCRED_SANITIZE: unknown sanitizer '${sanitizer}' "
        "(one of address, undefined, leak, thread, comma-separated)")
    endif()
  endforeach()
  if("thread" IN_LIST mcpcred_sanitizers)
    if("address" IN_LIST mcpcred_sanitizers OR "leak" IN_LIST mcpcred_sanitizers)
      message(FATAL_ERROR "MCPCRED_SANITIZE: thread cannot be combined with "
        "address or leak; build them in two trees")
    endif()
    set(MCPCRED_SANITIZE_THREAD ON)
  endif()
  add_compile_options(-fsanitize=${MCPCRED_SANITIZE} -fno-sanitize-recover=all
    -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${MCPCRED_SANITIZE})
  # Tests that cannot run under a sanitizer say why where they skip.
  string(REPLACE "," ";" mcpcred_sanitize_defs "${MCPCRED_SANITIZE}")
  list(TRANSFORM mcpcred_sanitize_defs TOUPPER)
  list(TRANSFORM mcpcred_sanitize_defs PREPEND MCPCRED_SANITIZE_)
  add_compile_definitions(${mcpcred_sanitize_defs})
  if(MCPCRED_SANITIZE_THREAD)
    # TSan's options and suppressions, linked into every program.
    add_library(mcpcred_tsan_defaults OBJECT
      ${CMAKE_CURRENT_LIST_DIR}/../tests/sanitize/tsan_defaults.cc)
    link_libraries(
      "$<$<STREQUAL:$<TARGET_PROPERTY:TYPE>,EXECUTABLE>:mcpcred_tsan_defaults>")
  endif()
  message(STATUS "Sanitizers: ${MCPCRED_SANITIZE}")
endif()
