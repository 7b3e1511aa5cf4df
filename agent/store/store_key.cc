#include "agent/store/store_key.h"

#include <openssl/rand.h>
#include <sys/stat.h>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "agent/store/aes_gcm.h"
#include "agent/util/log.h"
#include "mcpcred/common/atomic_file.h"

namespace mcpcred {
namespace {

// Big enough for 64 hex digits and a CRLF; a bigger file is not a key.
constexpr size_t kMaxKeyFileBytes = 256;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = absl::ascii_tolower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// 32 raw bytes as they are, or 64 hex digits decoded.
absl::StatusOr<SecretString> ParseKey(SecretString text,
                                      const std::string& path) {
  if (text.size() == kAesGcmKeyBytes) return text;
  size_t end = text.size();
  if (end > 0 && text[end - 1] == '\n') --end;
  if (end > 0 && text[end - 1] == '\r') --end;
  SecretString key;
  if (end == 2 * kAesGcmKeyBytes) {
    key.resize(kAesGcmKeyBytes);
    for (size_t i = 0; i < kAesGcmKeyBytes; ++i) {
      int hi = HexValue(text[2 * i]);
      int lo = HexValue(text[2 * i + 1]);
      if (hi < 0 || lo < 0) {
        key.clear();
        break;
      }
      key[i] = static_cast<char>(hi * 16 + lo);
    }
  }
  if (key.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the store key ", path, " must hold 32 raw bytes or 64 hex digits"));
  }
  return key;
}

absl::StatusOr<StoreKeyMaterial> ReadKeyFile(const std::string& path,
                                             bool check_mode) {
  struct stat st;
  absl::StatusOr<std::string> read = ReadWholeFile(path, kMaxKeyFileBytes, &st);
  if (!read.ok()) return read.status();
  SecretString text = SecretString::TakeFrom(&*read);
  if (check_mode && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return absl::PermissionDeniedError(absl::StrCat(
        "the store key ", path,
        " is readable by group or others: run 'chmod 600 ", path, "'"));
  }
  absl::StatusOr<SecretString> key = ParseKey(std::move(text), path);
  if (!key.ok()) return key.status();
  return StoreKeyMaterial{*std::move(key), path};
}

absl::StatusOr<StoreKeyMaterial> CreateKeyFile(const std::string& path) {
  SecretString key;
  key.resize(kAesGcmKeyBytes);
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()),
                 static_cast<int>(key.size())) != 1) {
    return absl::InternalError("no randomness for a new store key");
  }
  std::string sync_warning;
  absl::Status written =
      WriteFileAtomically(path, absl::string_view(key.data(), key.size()), 0600,
                          /*no_replace=*/true, &sync_warning);
  if (!sync_warning.empty()) LogWarning(sync_warning);
  // Another process created it first: use theirs, as they may have sealed
  // records with it already.
  if (!written.ok() && !absl::IsAlreadyExists(written)) return written;
  return ReadKeyFile(path, /*check_mode=*/true);
}

}  // namespace

absl::StatusOr<StoreKeyMaterial> LoadStoreKey(const StoreKeyLocation& location,
                                              bool create) {
  if (!location.credentials_dir.empty()) {
    std::string path = location.credentials_dir + "/mcpcred.key";
    // systemd sets the mode of its credential files itself.
    absl::StatusOr<StoreKeyMaterial> key =
        ReadKeyFile(path, /*check_mode=*/false);
    if (!absl::IsNotFound(key.status())) return key;
  }
  absl::StatusOr<StoreKeyMaterial> key =
      ReadKeyFile(location.key_path, /*check_mode=*/true);
  if (absl::IsNotFound(key.status())) {
    if (create) return CreateKeyFile(location.key_path);
    return absl::NotFoundError(
        absl::StrCat("the store key ", location.key_path, " does not exist"));
  }
  return key;
}

}  // namespace mcpcred
