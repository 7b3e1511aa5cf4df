# Installs the client library as a CMake package (find_package(mcpcred),
# target mcpcred::client) and a pkg-config file (pkg-config mcpcred).
include(CMakePackageConfigHelpers)

set_target_properties(mcpcred_client PROPERTIES EXPORT_NAME client)
set_target_properties(mcpcred_proto PROPERTIES EXPORT_NAME proto)
set_target_properties(mcpcred_common PROPERTIES EXPORT_NAME common)
install(TARGETS mcpcred_client mcpcred_proto mcpcred_common
  EXPORT mcpcredTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(MCPCRED_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/mcpcred)
install(EXPORT mcpcredTargets NAMESPACE mcpcred::
  DESTINATION ${MCPCRED_CMAKE_DIR})
configure_package_config_file(cmake/mcpcredConfig.cmake.in
  ${PROJECT_BINARY_DIR}/mcpcredConfig.cmake
  INSTALL_DESTINATION ${MCPCRED_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/mcpcredConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/mcpcredConfig.cmake
  ${PROJECT_BINARY_DIR}/mcpcredConfigVersion.cmake
  DESTINATION ${MCPCRED_CMAKE_DIR})

# Relocatable: the prefix is found from the .pc file's own place.
file(RELATIVE_PATH MCPCRED_PC_TO_PREFIX "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
string(REGEX REPLACE "/$" "" MCPCRED_PC_TO_PREFIX "${MCPCRED_PC_TO_PREFIX}")
configure_file(cmake/mcpcred.pc.in ${PROJECT_BINARY_DIR}/mcpcred.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/mcpcred.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
