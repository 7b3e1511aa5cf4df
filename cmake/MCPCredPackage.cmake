# Installs the client library and the provider SDK as a CMake package and the
# client as a pkg-config file (pkg-config mcpcred). find_package(mcpcred) gives
# mcpcred::client and the provider targets; find_package(mcpcred COMPONENTS
# provider_sdk) only mcpcred::provider_abi (the C header) and
# mcpcred::provider_sdk (the C++ SDK), without the client's dependencies.
include(CMakePackageConfigHelpers)

set_target_properties(mcpcred_client PROPERTIES EXPORT_NAME client)
set_target_properties(mcpcred_proto PROPERTIES EXPORT_NAME proto)
set_target_properties(mcpcred_common PROPERTIES EXPORT_NAME common)
install(TARGETS mcpcred_client mcpcred_proto mcpcred_common
  EXPORT mcpcredTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set_target_properties(mcpcred_provider_abi PROPERTIES EXPORT_NAME provider_abi)
set_target_properties(mcpcred_provider_sdk PROPERTIES EXPORT_NAME provider_sdk)
install(TARGETS mcpcred_provider_abi mcpcred_provider_sdk
  EXPORT mcpcredProviderTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(MCPCRED_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/mcpcred)
install(EXPORT mcpcredTargets NAMESPACE mcpcred::
  DESTINATION ${MCPCRED_CMAKE_DIR})
install(EXPORT mcpcredProviderTargets NAMESPACE mcpcred::
  DESTINATION ${MCPCRED_CMAKE_DIR})
configure_package_config_file(cmake/mcpcredConfig.cmake.in
  ${PROJECT_BINARY_DIR}/mcpcredConfig.cmake
  INSTALL_DESTINATION ${MCPCRED_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/mcpcredConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/mcpcredConfig.cmake
  ${PROJECT_BINARY_DIR}/mcpcredConfigVersion.cmake
  ${MCPCRED_PROVIDER_VERSION_SCRIPT}
  DESTINATION ${MCPCRED_CMAKE_DIR})

# Relocatable: the prefix is found from the .pc file's own place.
file(RELATIVE_PATH MCPCRED_PC_TO_PREFIX "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
string(REGEX REPLACE "/$" "" MCPCRED_PC_TO_PREFIX "${MCPCRED_PC_TO_PREFIX}")
configure_file(cmake/mcpcred.pc.in ${PROJECT_BINARY_DIR}/mcpcred.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/mcpcred.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
