// AES-256-GCM sealing for the encrypted file store, on OpenSSL's EVP API.
// A sealed box is nonce (12 random bytes) || ciphertext || tag (16 bytes), so
// each box carries what opening it needs besides the key and the AAD.
//
// Thread-safe: pure functions.
#ifndef MCPCRED_AGENT_STORE_AES_GCM_H_
#define MCPCRED_AGENT_STORE_AES_GCM_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "mcpcred/common/secret_string.h"

namespace mcpcred {

inline constexpr size_t kAesGcmKeyBytes = 32;
inline constexpr size_t kAesGcmNonceBytes = 12;
inline constexpr size_t kAesGcmTagBytes = 16;
inline constexpr size_t kAesGcmOverhead = kAesGcmNonceBytes + kAesGcmTagBytes;

// Seals `plaintext` under `key` (32 bytes) with a fresh random nonce, binding
// `aad`. INTERNAL if OpenSSL fails (no randomness, ...); INVALID_ARGUMENT for
// a key of the wrong size.
absl::StatusOr<std::string> SealAesGcm(absl::string_view key,
                                       absl::string_view plaintext,
                                       absl::string_view aad);

// Opens a box made by SealAesGcm with the same key and AAD. DATA_LOSS if the
// box is truncated, or was altered, or the key or AAD differ: GCM cannot tell
// these apart. The plaintext is a secret, wiped when it goes.
absl::StatusOr<SecretString> OpenAesGcm(absl::string_view key,
                                        absl::string_view sealed,
                                        absl::string_view aad);

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_STORE_AES_GCM_H_
