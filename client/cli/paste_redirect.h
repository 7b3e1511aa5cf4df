// `mcpcred login --paste`: for a machine with no browser and no device flow.
// The person opens the printed URL elsewhere; the browser ends on the
// loopback redirect address, which does not load there; the person pastes
// that address back, and it is delivered to the agent's redirect listener
// as the browser would have, so the agent checks state and iss and
// exchanges the code as usual.
#ifndef MCPCRED_CLIENT_CLI_PASTE_REDIRECT_H_
#define MCPCRED_CLIENT_CLI_PASTE_REDIRECT_H_

#include <string>

#include "absl/status/statusor.h"

namespace mcpcred::cli {

// The redirect_uri of an authorization URL, if it is a loopback
// "http://127.0.0.1:PORT/PATH"; else INVALID_ARGUMENT.
absl::StatusOr<std::string> LoopbackRedirectUri(const std::string& auth_url);

// Checks that `pasted` (surrounding blanks ignored) starts with
// `redirect_uri` followed by "?", then GETs it from the listener and returns
// the page's text (without markup). INVALID_ARGUMENT for another address,
// UNAVAILABLE when the listener does not answer. Never echoes the pasted
// address (it holds the authorization code).
absl::StatusOr<std::string> DeliverPastedRedirect(
    const std::string& redirect_uri, const std::string& pasted);

}  // namespace mcpcred::cli

#endif  // MCPCRED_CLIENT_CLI_PASTE_REDIRECT_H_
