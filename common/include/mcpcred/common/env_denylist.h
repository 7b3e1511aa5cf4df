// Environment variables a credential may never set: the ones that change how
// a program loads or runs (which code the loader, a shell or an interpreter
// pulls in, where programs are found, which commands tools run, whom TLS
// trusts, where configuration is read). A credential's env is for tokens;
// letting it set these would let whoever writes the config, or answers on the
// socket, run code inside every server mcpcred-exec starts.
//
// Both sides enforce the list: the agent refuses such keys when it loads its
// config, and mcpcred-exec refuses them from the agent, whom it does not
// trust for this. The list is in env_denylist.cc, each entry with its reason.
//
// Thread-safe: pure functions.
#ifndef MCPCRED_COMMON_ENV_DENYLIST_H_
#define MCPCRED_COMMON_ENV_DENYLIST_H_

#include "absl/strings/string_view.h"

namespace mcpcred {

// True if a credential must not set the environment variable `key`. Compared
// ASCII case-insensitively: some programs (npm, Windows ports) read
// variables regardless of case, and no legitimate credential key depends on
// case to differ from a denied one.
bool IsDeniedEnvKey(absl::string_view key);

}  // namespace mcpcred

#endif  // MCPCRED_COMMON_ENV_DENYLIST_H_
