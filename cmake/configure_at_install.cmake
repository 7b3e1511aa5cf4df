# Run by the install script (mcpcred_install_configured): makes each
# NAME=PATH of MCPCRED_INSTALL_PATHS a variable holding PATH under the
# install-time prefix (unless absolute), configures MCPCRED_TEMPLATE next to
# MCPCRED_CONFIGURED and installs that into DESTINATION.
foreach(_mcpcred_pair IN LISTS MCPCRED_INSTALL_PATHS)
  string(REGEX MATCH "^([^=]+)=(.*)$" _ "${_mcpcred_pair}")
  set(_mcpcred_path "${CMAKE_MATCH_2}")
  if(NOT IS_ABSOLUTE "${_mcpcred_path}")
    set(_mcpcred_path "${CMAKE_INSTALL_PREFIX}/${_mcpcred_path}")
  endif()
  set(${CMAKE_MATCH_1} "${_mcpcred_path}")
endforeach()
# A directory of its own per destination: installs into other prefixes may
# run at the same time (tests do) and must not swap each other's files.
string(MD5 _mcpcred_id "$ENV{DESTDIR}${DESTINATION}")
get_filename_component(_mcpcred_name "${MCPCRED_CONFIGURED}" NAME)
get_filename_component(_mcpcred_dir "${MCPCRED_CONFIGURED}" DIRECTORY)
set(_mcpcred_configured "${_mcpcred_dir}/${_mcpcred_id}/${_mcpcred_name}")
configure_file("${MCPCRED_TEMPLATE}" "${_mcpcred_configured}" @ONLY)
file(INSTALL DESTINATION "${DESTINATION}" TYPE FILE FILES "${_mcpcred_configured}")
