// Opening a login URL in the user's browser (mcpcred login, and
// mcpcred-remote --open when a server asks for more scopes).
#ifndef MCPCRED_CLIENT_LIB_BROWSER_H_
#define MCPCRED_CLIENT_LIB_BROWSER_H_

#include <string>

#include "absl/status/status.h"

namespace mcpcred {

// True when $DISPLAY or $WAYLAND_DISPLAY is set: over plain SSH xdg-open would
// start a text browser on the terminal the user is reading the URL from.
bool HasGraphicalSession();

// True for http:// and https:// URLs only: the URL comes from the agent, and
// xdg-open would as well open a file:// path or hand a scheme to any app.
bool IsBrowserUrl(const std::string& url);

// Starts `xdg-open URL` (no shell) with stdin/stdout/stderr on /dev/null and
// no signals blocked; does not wait for it. Returns INVALID_ARGUMENT for a
// URL IsBrowserUrl rejects, or the spawn error.
absl::Status OpenInBrowser(const std::string& url);

}  // namespace mcpcred

#endif  // MCPCRED_CLIENT_LIB_BROWSER_H_
