// The bridge's lines on stderr (its stdout belongs to the host): one line per
// call, "mcpcred-remote: <line>". Callers never pass a secret value; text
// from the server goes through the Masker first.
#ifndef MCPCRED_CLIENT_REMOTE_DIAGNOSTICS_H_
#define MCPCRED_CLIENT_REMOTE_DIAGNOSTICS_H_

#include "absl/strings/string_view.h"

namespace mcpcred::remote {

// Thread-safe: lines never interleave.
void Say(absl::string_view line);

}  // namespace mcpcred::remote

#endif  // MCPCRED_CLIENT_REMOTE_DIAGNOSTICS_H_
