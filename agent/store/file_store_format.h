// The bytes of the encrypted file store (secrets.db), format version 1:
//
//   "MCPCREDS"  u32 version  u32 count
//   count x { u16 len, credential; u16 len, kind; u16 len, scope;
//             u32 len, sealed value }
//   file tag: an AES-256-GCM box of nothing, with every byte above as AAD
//
// Integers are big-endian. Entry keys are in the clear: they are names, not
// secrets, and a reader lists them without the values. Each value is sealed
// with its key as AAD, so a box moved to another entry does not open; the file
// tag catches entries removed, reordered or taken from another file.
//
// Thread-safe: pure functions.
#ifndef MCPCRED_AGENT_STORE_FILE_STORE_FORMAT_H_
#define MCPCRED_AGENT_STORE_FILE_STORE_FORMAT_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "agent/store/secret_store.h"

namespace mcpcred {

// Entry key -> sealed value.
using SealedEntries = std::map<StoreKey, std::string>;

// Seals `value` for the entry `key` under `aes_key`.
absl::StatusOr<std::string> SealEntry(absl::string_view aes_key,
                                      const StoreKey& key,
                                      absl::string_view value);
// Opens a value sealed by SealEntry. DATA_LOSS if it does not authenticate.
absl::StatusOr<SecretString> OpenEntry(absl::string_view aes_key,
                                       const StoreKey& key,
                                       absl::string_view sealed);

// The whole file. INVALID_ARGUMENT if a name is longer than 65535 bytes.
absl::StatusOr<std::string> EncodeStoreFile(absl::string_view aes_key,
                                            const SealedEntries& entries);

// Parses and authenticates a whole file, opening every entry once so that a
// file that loads has no bad entry. DATA_LOSS saying what is wrong: not a
// store file, a newer format, truncated, or failed authentication (altered,
// or sealed under another key).
// The checks of DecodeStoreFile that need no key: DATA_LOSS "it is empty",
// "it is truncated (N bytes)" or "not an mcpcred store file (bad magic)", so
// that a damaged file is not blamed on a missing key.
absl::Status CheckStoreHeader(absl::string_view bytes);

absl::StatusOr<SealedEntries> DecodeStoreFile(absl::string_view aes_key,
                                              absl::string_view bytes);

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_STORE_FILE_STORE_FORMAT_H_
