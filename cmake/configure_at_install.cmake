# Run by the install script (mcpcred_install_configured): makes each
# NAME=PATH of MCPCRED_INSTALL_PATHS a variable holding PATH under the
# install-time prefix (unless absolute), configures MCPCRED_TEMPLATE into
# MCPCRED_CONFIGURED and installs that into DESTINATION.
foreach(pair IN LISTS MCPCRED_INSTALL_PATHS)
  string(REGEX MATCH "^([^=]+)=(.*)$" _ "${pair}")
  set(path "${CMAKE_MATCH_2}")
  if(NOT IS_ABSOLUTE "${path}")
    set(path "${CMAKE_INSTALL_PREFIX}/${path}")
  endif()
  set(${CMAKE_MATCH_1} "${path}")
endforeach()
configure_file("${MCPCRED_TEMPLATE}" "${MCPCRED_CONFIGURED}" @ONLY)
file(INSTALL DESTINATION "${DESTINATION}" TYPE FILE FILES "${MCPCRED_CONFIGURED}")
