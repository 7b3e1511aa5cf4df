#include "agent/store/file_store_format.h"

#include <cstdint>
#include <limits>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "agent/store/aes_gcm.h"

namespace mcpcred {
namespace {

constexpr absl::string_view kMagic = "MCPCREDS";
constexpr uint32_t kVersion = 1;
// Domain separation: an entry's AAD can never equal a file's AAD, which
// starts with kMagic.
constexpr absl::string_view kEntryAadPrefix("mcpcred entry v1\0", 17);
// Larger than any sane value (a value is at most a few KiB) but bounded, so a
// corrupt count cannot make the reader allocate without limit.
constexpr uint32_t kMaxSealedBytes = 16u << 20;

void PutUint(std::string& out, uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) {
    out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
  }
}

void PutString16(std::string& out, absl::string_view text) {
  PutUint(out, text.size(), 2);
  out.append(text.data(), text.size());
}

// A bounds-checked cursor over the file.
class Reader {
 public:
  explicit Reader(absl::string_view bytes) : rest_(bytes) {}
  bool ReadUint(int bytes, uint64_t* value) {
    if (rest_.size() < static_cast<size_t>(bytes)) return false;
    *value = 0;
    for (int i = 0; i < bytes; ++i) {
      *value = (*value << 8) | static_cast<unsigned char>(rest_[i]);
    }
    rest_.remove_prefix(bytes);
    return true;
  }
  bool ReadBytes(size_t n, absl::string_view* out) {
    if (rest_.size() < n) return false;
    *out = rest_.substr(0, n);
    rest_.remove_prefix(n);
    return true;
  }
  bool ReadString(int length_bytes, std::string* out) {
    uint64_t n = 0;
    absl::string_view bytes;
    if (!ReadUint(length_bytes, &n) || !ReadBytes(n, &bytes)) return false;
    *out = std::string(bytes);
    return true;
  }
  size_t remaining() const { return rest_.size(); }

 private:
  absl::string_view rest_;
};

std::string EntryAad(const StoreKey& key) {
  std::string aad(kEntryAadPrefix);
  // Lengths make the encoding unambiguous: ("ab","c") differs from ("a","bc").
  PutString16(aad, key.credential);
  PutString16(aad, key.kind);
  PutString16(aad, key.scope);
  return aad;
}

bool Fits16(const StoreKey& key) {
  constexpr size_t kMax = std::numeric_limits<uint16_t>::max();
  return key.credential.size() <= kMax && key.kind.size() <= kMax &&
         key.scope.size() <= kMax;
}

absl::Status Corrupt(absl::string_view what) {
  return absl::DataLossError(std::string(what));
}

}  // namespace

absl::StatusOr<std::string> SealEntry(absl::string_view aes_key,
                                      const StoreKey& key,
                                      absl::string_view value) {
  if (!Fits16(key)) return absl::InvalidArgumentError("entry name too long");
  if (value.size() + kAesGcmOverhead > kMaxSealedBytes) {
    return absl::InvalidArgumentError("value too large for the file store");
  }
  return SealAesGcm(aes_key, value, EntryAad(key));
}

absl::StatusOr<SecretString> OpenEntry(absl::string_view aes_key,
                                       const StoreKey& key,
                                       absl::string_view sealed) {
  return OpenAesGcm(aes_key, sealed, EntryAad(key));
}

absl::StatusOr<std::string> EncodeStoreFile(absl::string_view aes_key,
                                            const SealedEntries& entries) {
  std::string out(kMagic);
  PutUint(out, kVersion, 4);
  PutUint(out, entries.size(), 4);
  for (const auto& [key, sealed] : entries) {
    if (!Fits16(key)) return absl::InvalidArgumentError("entry name too long");
    PutString16(out, key.credential);
    PutString16(out, key.kind);
    PutString16(out, key.scope);
    PutUint(out, sealed.size(), 4);
    out.append(sealed);
  }
  absl::StatusOr<std::string> tag = SealAesGcm(aes_key, "", out);
  if (!tag.ok()) return tag.status();
  out.append(*tag);
  return out;
}

absl::Status CheckStoreHeader(absl::string_view bytes) {
  if (bytes.empty()) return Corrupt("it is empty (0 bytes)");
  // A prefix of the magic is a write that stopped short, not another file.
  if (bytes.size() < kMagic.size() && kMagic.substr(0, bytes.size()) == bytes) {
    return Corrupt(absl::StrCat("it is truncated (", bytes.size(), " bytes)"));
  }
  if (bytes.substr(0, kMagic.size()) != kMagic) {
    return Corrupt("not an mcpcred store file (bad magic)");
  }
  if (bytes.size() < kMagic.size() + 8 + kAesGcmOverhead) {
    return Corrupt(absl::StrCat("it is truncated (", bytes.size(), " bytes)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<SealedEntries> DecodeStoreFile(absl::string_view aes_key,
                                              absl::string_view bytes) {
  if (absl::Status header = CheckStoreHeader(bytes); !header.ok()) {
    return header;
  }
  // Authenticate everything before trusting any length in it.
  absl::string_view body = bytes.substr(0, bytes.size() - kAesGcmOverhead);
  absl::string_view tag = bytes.substr(body.size());
  Reader reader(body.substr(kMagic.size()));
  uint64_t version = 0, count = 0;
  reader.ReadUint(4, &version);
  if (version != kVersion) {
    return Corrupt(absl::StrCat("format version ", version,
                                " is not supported (this mcpcred reads ",
                                kVersion, "; was it written by a newer one?)"));
  }
  absl::StatusOr<SecretString> nothing = OpenAesGcm(aes_key, tag, body);
  if (!nothing.ok()) {
    return Corrupt(
        "it does not authenticate: the file was altered or damaged, or the "
        "key is not the one it was written with");
  }
  reader.ReadUint(4, &count);
  SealedEntries entries;
  for (uint64_t i = 0; i < count; ++i) {
    StoreKey key;
    uint64_t sealed_size = 0;
    absl::string_view sealed;
    if (!reader.ReadString(2, &key.credential) ||
        !reader.ReadString(2, &key.kind) || !reader.ReadString(2, &key.scope) ||
        !reader.ReadUint(4, &sealed_size) || sealed_size > kMaxSealedBytes ||
        !reader.ReadBytes(sealed_size, &sealed)) {
      return Corrupt("an entry is truncated");
    }
    if (!OpenEntry(aes_key, key, sealed).ok()) {
      return Corrupt("an entry does not authenticate");
    }
    if (!entries.emplace(std::move(key), std::string(sealed)).second) {
      return Corrupt("an entry appears twice");
    }
  }
  if (reader.remaining() != 0)
    return Corrupt("trailing bytes after the entries");
  return entries;
}

}  // namespace mcpcred
