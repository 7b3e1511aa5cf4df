// The file store's 32-byte AES key: from systemd's credentials directory
// (LoadCredentialEncrypted=mcpcred.key), else from a 0600 key file beside the
// store, created with fresh randomness on first use.
//
// Thread-safe: no shared state; concurrent creators agree on one key because
// the first file written wins.
#ifndef MCPCRED_AGENT_STORE_STORE_KEY_H_
#define MCPCRED_AGENT_STORE_STORE_KEY_H_

#include <string>

#include "absl/status/statusor.h"
#include "mcpcred/common/secret_string.h"

namespace mcpcred {

struct StoreKeyLocation {
  // $CREDENTIALS_DIRECTORY, or "" when not run by systemd with credentials.
  std::string credentials_dir;
  // The key file used when credentials_dir has no mcpcred.key.
  std::string key_path;
};

struct StoreKeyMaterial {
  SecretString key;    // 32 bytes
  std::string source;  // the file it came from, for messages
};

// Loads the key. $credentials_dir/mcpcred.key, when present, holds 32 raw
// bytes or 64 hex digits (one trailing newline allowed). Otherwise key_path
// holds 32 raw bytes; when it is missing, `create` makes a new random one
// (mode 0600) and otherwise NOT_FOUND names it. PERMISSION_DENIED when the
// key file is readable by group or others; FAILED_PRECONDITION when a key
// file has the wrong size or format. No message contains key material.
absl::StatusOr<StoreKeyMaterial> LoadStoreKey(const StoreKeyLocation& location,
                                              bool create);

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_STORE_STORE_KEY_H_
