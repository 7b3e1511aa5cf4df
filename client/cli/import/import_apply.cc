#include "import_apply.h"

#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "mcpcred/common/atomic_file.h"

namespace mcpcred::cli::import {
namespace {

constexpr size_t kMaxConfigBytes = 64 << 20;

// The file a path names, symbolic links followed; `path` if it is missing.
std::string RealPath(const std::string& path) {
  char resolved[PATH_MAX];
  if (realpath(path.c_str(), resolved) == nullptr) return path;
  return resolved;
}

absl::Status CheckUnchanged(const std::string& path,
                            const std::optional<std::string>& expected) {
  absl::StatusOr<std::string> now = ReadWholeFile(path, kMaxConfigBytes);
  bool same = expected.has_value() ? now.ok() && *now == *expected
                                   : absl::IsNotFound(now.status());
  if (same) return absl::OkStatus();
  return absl::AbortedError(absl::StrCat(
      path, " changed while importing; run 'mcpcred import' again"));
}

// Copies `text` to a new backup beside `path`; returns the backup's path.
absl::StatusOr<std::string> Backup(const std::string& path,
                                   const std::string& text) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string backup = FreeBackupPath(path);
    absl::Status written =
        WriteFileAtomically(backup, text, 0600, /*no_replace=*/true);
    if (written.ok()) return backup;
    if (!absl::IsAlreadyExists(written)) return written;
  }
  return absl::AlreadyExistsError(
      absl::StrCat("no free backup name beside ", path));
}

absl::Status MakeParentDir(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos || slash == 0) return absl::OkStatus();
  std::string dir = path.substr(0, slash);
  struct stat st;
  if (stat(dir.c_str(), &st) == 0) return absl::OkStatus();
  absl::Status parent = MakeParentDir(dir);
  if (!parent.ok()) return parent;
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return FileError(errno, "cannot create directory", dir);
  }
  return absl::OkStatus();
}

class Applier {
 public:
  Applier(Client& client, const ImportPlan& plan, const Places& places)
      : client_(client), plan_(plan), places_(places) {}

  absl::StatusOr<std::vector<std::string>> Run() {
    config_path_ = RealPath(plan_.config_path);
    absl::Status status = CheckUnchanged(config_path_, plan_.config_text);
    for (const FileChange& file : plan_.files) {
      if (!status.ok()) break;
      if (file.changed()) {
        status =
            CheckUnchanged(RealPath(file.scanned.file.path), file.scanned.text);
      }
    }
    if (status.ok()) status = StoreSecrets();
    if (status.ok()) status = WriteConfig();
    if (status.ok()) status = ReloadAndCheck();
    if (!status.ok()) {
      Undo();
      return absl::Status(status.code(), absl::StrCat(status.message(),
                                                      "; nothing was changed"));
    }
    std::vector<std::string> not_rewritten;
    absl::Status host_status;
    for (const FileChange& file : plan_.files) {
      if (!file.changed()) continue;
      if (host_status.ok()) {
        host_status = RewriteHostFile(file);
        if (host_status.ok()) continue;
      }
      not_rewritten.push_back(file.scanned.file.path);
    }
    if (!host_status.ok()) {
      return absl::Status(host_status.code(),
                          absl::StrCat(host_status.message(),
                                       "; the secrets are in the agent, "
                                       "but these files still hold them: ",
                                       absl::StrJoin(not_rewritten, ", ")));
    }
    return std::move(done_);
  }

 private:
  absl::Status StoreSecrets() {
    for (const NewCredential& credential : plan_.credentials) {
      absl::StatusOr<v1::AddSecretResponse> added =
          client_.AddSecret(credential.name, credential.secret);
      if (!added.ok()) {
        return absl::Status(
            added.status().code(),
            absl::StrCat("cannot store the secret of credential \"",
                         credential.name, "\": ", added.status().message()));
      }
      stored_.push_back(credential.name);
      store_ = added->store();
    }
    if (!stored_.empty()) {
      done_.push_back(absl::StrCat("Stored ", stored_.size(),
                                   stored_.size() == 1 ? " secret" : " secrets",
                                   " in the agent's ", store_, " store."));
    }
    return absl::OkStatus();
  }

  absl::Status WriteConfig() {
    if (plan_.credentials.empty()) return absl::OkStatus();
    mode_t mode = 0600;
    struct stat st;
    if (plan_.config_text.has_value() && stat(config_path_.c_str(), &st) == 0) {
      mode = st.st_mode & 07777;
      config_mode_ = mode;
      absl::StatusOr<std::string> backup =
          Backup(config_path_, *plan_.config_text);
      if (!backup.ok()) return backup.status();
      config_backup_ = *backup;
    } else {
      absl::Status dir = MakeParentDir(config_path_);
      if (!dir.ok()) return dir;
    }
    absl::Status written =
        WriteFileAtomically(config_path_, plan_.new_config_text, mode);
    if (!written.ok()) return written;
    config_written_ = true;
    std::vector<std::string> tables;
    for (const NewCredential& credential : plan_.credentials) {
      tables.push_back(absl::StrCat("[credential.", credential.name, "]"));
    }
    done_.push_back(absl::StrCat(
        "Added ", absl::StrJoin(tables, ", "), " to ",
        ShortPath(places_, config_path_),
        config_backup_.empty()
            ? ""
            : absl::StrCat(" (backup: ", ShortPath(places_, config_backup_),
                           ")"),
        "."));
    return absl::OkStatus();
  }

  absl::Status ReloadAndCheck() {
    if (plan_.credentials.empty()) return absl::OkStatus();
    absl::StatusOr<v1::ReloadResponse> reloaded = client_.Reload();
    if (!reloaded.ok()) return reloaded.status();
    absl::StatusOr<v1::ListCredentialsResponse> list =
        client_.ListCredentials();
    if (!list.ok()) return list.status();
    for (const NewCredential& credential : plan_.credentials) {
      const v1::CredentialInfo* info = nullptr;
      for (const v1::CredentialInfo& candidate : list->credentials()) {
        if (candidate.name() == credential.name) info = &candidate;
      }
      if (info == nullptr) {
        return absl::FailedPreconditionError(absl::StrCat(
            "the agent did not load credential \"", credential.name, "\" from ",
            config_path_,
            ": is it running with another config (mcpcred status)?"));
      }
      if (info->state() == v1::CredentialInfo::ERROR) {
        return absl::FailedPreconditionError(
            absl::StrCat("credential \"", credential.name,
                         "\" is not ready: ", info->last_error()));
      }
    }
    done_.push_back(
        "The agent reloaded its config and loaded every new "
        "credential.");
    return absl::OkStatus();
  }

  absl::Status RewriteHostFile(const FileChange& file) {
    std::string path = RealPath(file.scanned.file.path);
    absl::Status unchanged = CheckUnchanged(path, file.scanned.text);
    if (!unchanged.ok()) return unchanged;
    absl::StatusOr<std::string> backup = Backup(path, file.scanned.text);
    if (!backup.ok()) return backup.status();
    absl::Status written =
        WriteFileAtomically(path, file.new_text, file.scanned.mode);
    if (!written.ok()) return written;
    done_.push_back(
        absl::StrCat("Rewrote ", ShortPath(places_, file.scanned.file.path),
                     " (backup: ", ShortPath(places_, *backup), ")."));
    return absl::OkStatus();
  }

  // Best effort: what is left after a failure is said by the caller.
  void Undo() {
    if (config_written_) {
      if (plan_.config_text.has_value()) {
        (void)WriteFileAtomically(config_path_, *plan_.config_text,
                                  config_mode_);
        struct stat st;
        if (!config_backup_.empty() && stat(config_backup_.c_str(), &st) == 0) {
          unlink(config_backup_.c_str());
        }
      } else {
        unlink(config_path_.c_str());
      }
      (void)client_.Reload();
    }
    for (const std::string& name : stored_) (void)client_.RemoveSecret(name);
  }

  Client& client_;
  const ImportPlan& plan_;
  const Places& places_;
  std::string config_path_;
  std::string config_backup_;
  mode_t config_mode_ = 0600;
  bool config_written_ = false;
  std::vector<std::string> stored_;
  std::string store_;
  std::vector<std::string> done_;
};

}  // namespace

std::string FreeBackupPath(const std::string& path) {
  std::string backup = path + ".mcpcred-backup";
  struct stat st;
  for (int n = 2; lstat(backup.c_str(), &st) == 0; ++n) {
    backup = absl::StrCat(path, ".mcpcred-backup.", n);
  }
  return backup;
}

absl::StatusOr<std::vector<std::string>> ApplyPlan(Client& client,
                                                   const ImportPlan& plan,
                                                   const Places& places) {
  return Applier(client, plan, places).Run();
}

}  // namespace mcpcred::cli::import
