// Secret references in the config: "env:VAR", "file:PATH", "keyring:NAME".
// The config never holds a secret itself, only where to find it.
#ifndef MCPCRED_AGENT_STORE_SECRET_REF_H_
#define MCPCRED_AGENT_STORE_SECRET_REF_H_

#include <string>

#include "absl/status/statusor.h"
#include "agent/store/secret_store.h"

namespace mcpcred {

// True if `text` has one of the reference prefixes.
bool IsSecretRef(const std::string& text);

// Resolves a reference to its value. Errors, none of which contain the value:
//   env:VAR      NOT_FOUND if VAR is unset or empty.
//   file:PATH    "~/" expanded, symlinks followed; NOT_FOUND if missing;
//                PERMISSION_DENIED if the file reached belongs to another
//                user than this one or root, is readable by group or others
//                (saying to chmod 600) or is unreadable; INVALID_ARGUMENT if
//                PATH holds a NUL, or the file is not a regular file (a FIFO
//                is refused without blocking), is empty or over 1 MiB. One
//                trailing newline ("\n" or "\r\n") is stripped.
//   keyring:NAME the "secret" entry of credential NAME in `store`; NOT_FOUND
//                saying to run 'mcpcred add NAME'. FAILED_PRECONDITION if
//                `store` is null.
// INVALID_ARGUMENT for any other text.
absl::StatusOr<SecretString> ResolveSecretRef(const std::string& reference,
                                              SecretStore* store);

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_STORE_SECRET_REF_H_
