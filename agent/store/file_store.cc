#include "agent/store/file_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "agent/util/fs.h"
#include "agent/util/log.h"
#include "mcpcred/common/atomic_file.h"

namespace mcpcred {
namespace {

// Far beyond any real store (entries are a few KiB each), but bounded.
constexpr size_t kMaxFileBytes = 64u << 20;
constexpr size_t kMaxValueBytes = 1u << 20;

StoreKeyLocation WithDefaultKeyPath(StoreKeyLocation location,
                                    const std::string& path) {
  if (location.key_path.empty()) {
    location.key_path = Dirname(path) + "/mcpcred.key";
  }
  return location;
}

// An exclusive flock on the store's directory for one read-modify-write, so
// that two agents sharing the file do not lose each other's writes. The
// directory rather than a lock file: nothing to create or leave behind.
class DirLock {
 public:
  explicit DirLock(const std::string& dir)
      : fd_(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
    if (fd_ < 0) {
      status_ = FileError(errno, "cannot open directory", dir);
      return;
    }
    while (flock(fd_, LOCK_EX) != 0) {
      if (errno != EINTR) {
        status_ = FileError(errno, "cannot lock directory", dir);
        return;
      }
    }
  }
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;
  ~DirLock() {
    if (fd_ >= 0) close(fd_);  // releases the lock
  }
  const absl::Status& status() const { return status_; }

 private:
  int fd_;
  absl::Status status_;
};

absl::string_view View(const SecretString& secret) {
  return absl::string_view(secret.data(), secret.size());
}

std::string NotStoredMessage(const StoreKey& key) {
  return absl::StrCat("no ", key.kind, " stored for credential \"",
                      key.credential, "\"");
}

}  // namespace

bool FileStore::FileVersion::operator==(const FileVersion& other) const {
  return device == other.device && inode == other.inode && size == other.size &&
         modified.tv_sec == other.modified.tv_sec &&
         modified.tv_nsec == other.modified.tv_nsec;
}

FileStore::FileStore(FileStoreOptions options)
    : path_(std::move(options.path)),
      dir_(Dirname(path_)),
      key_location_(WithDefaultKeyPath(std::move(options.key), path_)) {}

FileStore::~FileStore() = default;  // key_ wipes itself

void FileStore::ForgetKeys() {
  absl::MutexLock lock(&mu_);
  key_.clear();
  key_source_.clear();
  entries_ = {};
  loaded_.reset();
}

absl::Status FileStore::LoadKeyLocked(bool create) {
  if (!key_.empty()) return absl::OkStatus();
  absl::StatusOr<StoreKeyMaterial> key = LoadStoreKey(key_location_, create);
  if (!key.ok()) return key.status();
  key_ = std::move(key->key);
  key_source_ = std::move(key->source);
  return absl::OkStatus();
}

absl::Status FileStore::CheckKeyUnchangedLocked() {
  absl::StatusOr<StoreKeyMaterial> on_disk =
      LoadStoreKey(key_location_, /*create=*/false);
  if (on_disk.ok() && on_disk->key == key_) return absl::OkStatus();
  // Writing with the remembered key would make a file that no later start
  // can open.
  return absl::DataLossError(absl::StrCat(
      "the store key ", key_source_,
      " is missing or changed since the store was read: restore it; nothing "
      "was written to ",
      path_));
}

absl::Status FileStore::Unreadable(const absl::Status& why) const {
  return absl::DataLossError(absl::StrCat(
      "the secret store ", path_, " cannot be read: ", why.message(),
      ". It is left as it is: restore it (or its key) from a backup, or move "
      "it away to start an empty store ('mv ",
      path_, " ", path_, ".damaged')"));
}

absl::Status FileStore::RefreshLocked() {
  struct stat st;
  if (stat(path_.c_str(), &st) != 0) {
    if (errno != ENOENT) return FileError(errno, "cannot read", path_);
    entries_.clear();  // moved away (or never written): an empty store
    loaded_.reset();
    return absl::OkStatus();
  }
  FileVersion version{st.st_dev, st.st_ino, st.st_size, st.st_mtim};
  if (loaded_.has_value() && *loaded_ == version) return absl::OkStatus();
  // Until this read succeeds, nothing from an older version is served.
  entries_.clear();
  loaded_.reset();
  absl::StatusOr<std::string> bytes = ReadWholeFile(path_, kMaxFileBytes, &st);
  if (absl::IsNotFound(bytes.status())) return absl::OkStatus();
  if (!bytes.ok()) return bytes.status();
  // Before the key: an empty or truncated file holds nothing a key could
  // open, and "restore the key" would send the person looking for nothing.
  if (absl::Status header = CheckStoreHeader(*bytes); !header.ok()) {
    return Unreadable(header);
  }
  absl::Status key = LoadKeyLocked(/*create=*/false);
  if (absl::IsNotFound(key)) {
    return absl::DataLossError(absl::StrCat(
        "the secret store ", path_, " exists but its key ",
        key_location_.key_path,
        " is missing: restore the key, or move the store away to start an "
        "empty one"));
  }
  if (!key.ok()) return key;
  absl::StatusOr<SealedEntries> entries = DecodeStoreFile(View(key_), *bytes);
  if (!entries.ok()) return Unreadable(entries.status());
  entries_ = *std::move(entries);
  loaded_ = FileVersion{st.st_dev, st.st_ino, st.st_size, st.st_mtim};
  return absl::OkStatus();
}

absl::Status FileStore::Check() {
  absl::MutexLock lock(&mu_);
  return RefreshLocked();
}

absl::Status FileStore::CommitLocked(SealedEntries entries) {
  absl::StatusOr<std::string> bytes = EncodeStoreFile(View(key_), entries);
  if (!bytes.ok()) return bytes.status();
  std::string sync_warning;
  absl::Status written =
      WriteFileAtomically(path_, *bytes, 0600,
                          /*no_replace=*/false, &sync_warning);
  if (!sync_warning.empty()) LogWarning(sync_warning);
  if (!written.ok()) {
    return absl::Status(
        written.code(),
        absl::StrCat("cannot save the secret store: ", written.message(),
                     " (the previous ", path_, " is kept)"));
  }
  entries_ = std::move(entries);
  struct stat st;
  if (stat(path_.c_str(), &st) == 0) {
    loaded_ = FileVersion{st.st_dev, st.st_ino, st.st_size, st.st_mtim};
  } else {
    loaded_.reset();  // the next call reads it back
  }
  return absl::OkStatus();
}

template <typename Change>
absl::Status FileStore::ModifyLocked(Change change) {
  absl::Status dir = MakePrivateDirs(dir_);
  if (!dir.ok()) return dir;
  DirLock dir_lock(dir_);
  if (!dir_lock.status().ok()) return dir_lock.status();
  absl::Status fresh = RefreshLocked();
  if (!fresh.ok()) return fresh;
  // No file yet: this write creates the store, and the key with it.
  absl::Status key = LoadKeyLocked(/*create=*/!loaded_.has_value());
  if (!key.ok()) return key;
  if (loaded_.has_value()) {
    absl::Status same = CheckKeyUnchangedLocked();
    if (!same.ok()) return same;
  }
  SealedEntries entries = entries_;
  absl::StatusOr<bool> changed = change(entries);
  if (!changed.ok()) return changed.status();
  if (!*changed) return absl::OkStatus();
  return CommitLocked(std::move(entries));
}

absl::StatusOr<SecretString> FileStore::Get(const StoreKey& key) {
  absl::MutexLock lock(&mu_);
  absl::Status fresh = RefreshLocked();
  if (!fresh.ok()) return fresh;
  auto it = entries_.find(key);
  if (it == entries_.end()) return absl::NotFoundError(NotStoredMessage(key));
  absl::StatusOr<SecretString> value = OpenEntry(View(key_), key, it->second);
  if (!value.ok()) {
    return absl::DataLossError(absl::StrCat(
        "the secret store ", path_, ": an entry does not authenticate"));
  }
  return value;
}

absl::Status FileStore::Put(const StoreKey& key, const SecretString& value) {
  if (value.size() > kMaxValueBytes) {
    return absl::InvalidArgumentError(
        "the value is larger than the file store's 1 MiB limit");
  }
  absl::MutexLock lock(&mu_);
  // Bound under the lock: the analysis does not see that ModifyLocked runs
  // the callback with mu_ held.
  const SecretString* sealing_key = &key_;
  return ModifyLocked([&](SealedEntries& entries) -> absl::StatusOr<bool> {
    absl::StatusOr<std::string> sealed =
        SealEntry(View(*sealing_key), key, View(value));
    if (!sealed.ok()) return sealed.status();
    entries[key] = *std::move(sealed);
    return true;
  });
}

absl::Status FileStore::Delete(const StoreKey& key) {
  absl::MutexLock lock(&mu_);
  // Deleting from a store that was never written needs no key and no file.
  struct stat st;
  if (stat(path_.c_str(), &st) != 0 && errno == ENOENT) {
    return absl::OkStatus();
  }
  return ModifyLocked([&](SealedEntries& entries) -> absl::StatusOr<bool> {
    return entries.erase(key) > 0;
  });
}

absl::StatusOr<std::vector<StoreKey>> FileStore::List() {
  absl::MutexLock lock(&mu_);
  absl::Status fresh = RefreshLocked();
  if (!fresh.ok()) return fresh;
  std::vector<StoreKey> keys;
  keys.reserve(entries_.size());
  for (const auto& [key, sealed] : entries_) keys.push_back(key);
  return keys;
}

}  // namespace mcpcred
