# mcpcred_install_configured(SOURCE DESTINATION): installs SOURCE (a
# "NAME.in" template) as DESTINATION/NAME with its @VARIABLES@ replaced at
# install time, so that the paths it names (the agent's executable in a unit,
# the plugin directory in a man page) are those of the prefix it is installed
# under: `cmake --install --prefix`, or CPack's /usr, not the configured one.
# DESTINATION is relative to the install prefix, or absolute.
#
# Variables the templates may use (each a full path at install time):
#   CMAKE_INSTALL_FULL_BINDIR, MCPCRED_FULL_PLUGIN_DIR, MCPCRED_FULL_MODULE_DIR,
#   MCPCRED_FULL_SYSTEMD_USER_UNIT_DIR, MCPCRED_FULL_EXAMPLE_DIR;
# and PROJECT_VERSION.
function(mcpcred_install_configured source destination)
  get_filename_component(name "${source}" NAME)
  string(REGEX REPLACE "\\.in$" "" name "${name}")
  set(vars
    "CMAKE_INSTALL_FULL_BINDIR=${CMAKE_INSTALL_BINDIR}"
    "MCPCRED_FULL_PLUGIN_DIR=${MCPCRED_PLUGIN_RELDIR}"
    "MCPCRED_FULL_MODULE_DIR=${MCPCRED_MODULE_RELDIR}"
    "MCPCRED_FULL_SYSTEMD_USER_UNIT_DIR=${MCPCRED_SYSTEMD_USER_UNIT_DIR}"
    "MCPCRED_FULL_EXAMPLE_DIR=${CMAKE_INSTALL_DOCDIR}/examples"
    "DESTINATION=${destination}")
  install(CODE "
    set(MCPCRED_TEMPLATE \"${CMAKE_CURRENT_SOURCE_DIR}/${source}\")
    set(MCPCRED_CONFIGURED \"${CMAKE_CURRENT_BINARY_DIR}/install-time/${name}\")
    set(PROJECT_VERSION \"${PROJECT_VERSION}\")
    set(MCPCRED_INSTALL_PATHS \"${vars}\")
    include(\"${PROJECT_SOURCE_DIR}/cmake/configure_at_install.cmake\")
  ")
endfunction()
