// A SecretStore in one encrypted file, for machines without a Secret Service
// (headless servers, containers): by default $XDG_STATE_HOME/mcpcred/
// secrets.db, mode 0600 in a 0700 directory, each value sealed with
// AES-256-GCM (file_store_format.h) under the key of store_key.h.
//
// Durability: Put and Delete return OK only once the new file is on disk
// (mcpcred/common/atomic_file.h); a failed write leaves the previous file and
// the previous entries in place. A file that does not decrypt or parse is never
// overwritten: every call fails with DATA_LOSS naming the file until a person
// restores it (or its key) or moves it away.
//
// Several agents may share one file: writes hold an flock on the directory,
// and each call re-reads the file when it changed on disk.
//
// Thread-safe.
#ifndef MCPCRED_AGENT_STORE_FILE_STORE_H_
#define MCPCRED_AGENT_STORE_FILE_STORE_H_

#include <sys/types.h>

#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "agent/store/file_store_format.h"
#include "agent/store/secret_store.h"
#include "agent/store/store_key.h"

namespace mcpcred {

struct FileStoreOptions {
  // The store file. Its directory is created 0700 on the first write.
  std::string path;
  // Where the key comes from. An empty key_path means "mcpcred.key" beside
  // `path`.
  StoreKeyLocation key;
};

class FileStore final : public SecretStore {
 public:
  // Touches nothing on disk: the file is read on first use and the directory
  // and key are created on the first write.
  explicit FileStore(FileStoreOptions options);
  ~FileStore() override;

  std::string name() const override { return "file"; }
  std::string location() const override { return path_; }
  absl::StatusOr<SecretString> Get(const StoreKey& key) override;
  absl::Status Put(const StoreKey& key, const SecretString& value) override;
  absl::Status Delete(const StoreKey& key) override;
  absl::StatusOr<std::vector<StoreKey>> List() override;
  // Wipes the key and forgets the entries read: the next call loads the
  // key from its source and reads the file again.
  void ForgetKeys() override;

  // Reads the file now, so that a broken file is reported at start rather
  // than at the first request. OK when there is no file yet.
  absl::Status Check();

 private:
  // What identifies one version of the file on disk; every write renames a
  // new inode into place.
  struct FileVersion {
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = 0;
    timespec modified = {};
    bool operator==(const FileVersion& other) const;
  };

  // DATA_LOSS: the file cannot be read because of `why`, and what to do.
  absl::Status Unreadable(const absl::Status& why) const;
  // Brings entries_ up to date with the file. Errors are the file's state:
  // DATA_LOSS when it cannot be decrypted or parsed.
  absl::Status RefreshLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status LoadKeyLocked(bool create) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // DATA_LOSS unless the key source still holds the key in use.
  absl::Status CheckKeyUnchangedLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Writes `entries` as the new file, then adopts them.
  absl::Status CommitLocked(SealedEntries entries)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Put and Delete: takes the directory lock, refreshes, applies `change`
  // to a copy of the entries and commits it if `change` says so.
  template <typename Change>
  absl::Status ModifyLocked(Change change) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string path_;
  const std::string dir_;
  const StoreKeyLocation key_location_;

  absl::Mutex mu_;
  SecretString key_ ABSL_GUARDED_BY(mu_);        // empty until first needed
  std::string key_source_ ABSL_GUARDED_BY(mu_);  // the file key_ came from
  SealedEntries entries_ ABSL_GUARDED_BY(mu_);
  // The version entries_ came from; nullopt when there is no file, or when
  // the last read failed (so the next call tries again).
  std::optional<FileVersion> loaded_ ABSL_GUARDED_BY(mu_);
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_STORE_FILE_STORE_H_
