# `cpack -G DEB` (run in the build directory): one package, mcpcred, with
# everything `cmake --install` installs, under /usr: the programs, the
# plugins (where the agent looks for them, relative to its own executable),
# the systemd user units, the man pages, the shell completions, the example
# configs and the client library. Depends are computed by dpkg-shlibdeps from
# the binaries and plugins. tests/packaging/deb_test.sh installs it on a clean
# Debian 12.
set(CPACK_PACKAGE_NAME mcpcred)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "mcpcred")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "credential agent for MCP hosts (the ssh-agent of MCP)")
set(CPACK_PACKAGE_DESCRIPTION
    "mcpcred keeps the credentials of MCP servers (API keys, OAuth tokens, \
GitHub App installation tokens) in one per-user agent, mcpcred-agent, and \
hands them to MCP hosts over a Unix socket: mcpcred-exec injects them into \
stdio servers, mcpcred-remote relays to remote servers with them, and the \
mcpcred CLI manages them. Tokens are refreshed ahead of expiry, every \
hand-out is audited, and secrets in servers' output are masked.")
set(CPACK_GENERATOR DEB)
# The install scripts see CMAKE_INSTALL_PREFIX=/usr (and DESTDIR the staging
# directory), so that what is configured at install time names /usr.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# The programs and plugins without their debug information (the static
# client libraries are not stripped).
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "mcpcred maintainers <maintainers@mcpcred.invalid>")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The Secret Service keeps secrets in the login keyring (else the encrypted
# file store is used); xdg-open opens the browser for OAuth logins.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gnome-keyring, xdg-utils")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "systemd")
include(CPack)
