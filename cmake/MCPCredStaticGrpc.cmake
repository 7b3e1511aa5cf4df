# mcpcred-exec, which a host starts for every stdio server, links gRPC,
# protobuf, Abseil and their dependencies from Debian's static archives:
# loading ~57 shared libraries cost it most of its start-up time. The agent
# and the plugins keep the shared libraries (one copy of each, shared with
# every plugin). The mcpcred CLI does too: linked statically, an RPC in
# flight when the agent shut down failed as UNAVAILABLE about half the time
# (tests/integration/socket_test.cc SigtermDuringAFetch...), which the
# shared build never did; not understood yet.
option(MCPCRED_STATIC_CLIENTS
  "Link the client programs with static gRPC, protobuf and Abseil" ON)

set(MCPCRED_STATIC_GRPC_ARCHIVES "")
if(MCPCRED_STATIC_CLIENTS)
  foreach(name grpc++ grpc gpr upb address_sorting re2 cares protobuf ssl
      crypto z)
    find_library(MCPCRED_STATIC_LIB_${name} NAMES lib${name}.a)
    if(NOT MCPCRED_STATIC_LIB_${name})
      message(STATUS "lib${name}.a not found: client programs link shared")
      set(MCPCRED_STATIC_GRPC_ARCHIVES "")
      break()
    endif()
    list(APPEND MCPCRED_STATIC_GRPC_ARCHIVES ${MCPCRED_STATIC_LIB_${name}})
  endforeach()
  if(MCPCRED_STATIC_GRPC_ARCHIVES)
    get_filename_component(dir ${MCPCRED_STATIC_LIB_grpc} DIRECTORY)
    file(GLOB absl_archives ${dir}/libabsl_*.a)
    list(APPEND MCPCRED_STATIC_GRPC_ARCHIVES ${absl_archives})
  endif()
endif()

# Links `target` against the static archives. They come right after the
# project's own static libraries (so that these pull what they need from
# them), as one group (they depend on each other in cycles); --as-needed
# then drops the shared libraries the targets' usage requirements also name.
function(mcpcred_link_grpc_statically target)
  if(NOT MCPCRED_STATIC_GRPC_ARCHIVES)
    return()
  endif()
  target_link_libraries(${target} PRIVATE mcpcred_client mcpcred_proto
    mcpcred_common "-Wl,--start-group" ${MCPCRED_STATIC_GRPC_ARCHIVES}
    "-Wl,--end-group" ${CMAKE_DL_LIBS})
  target_link_options(${target} PRIVATE "-Wl,--as-needed")
endfunction()
