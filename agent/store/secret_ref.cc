#include "agent/store/secret_ref.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "mcpcred/common/paths.h"

namespace mcpcred {
namespace {

constexpr size_t kMaxSecretFileBytes = 1 << 20;

absl::StatusOr<SecretString> FromEnv(const std::string& variable) {
  const char* value = std::getenv(variable.c_str());
  if (value == nullptr || *value == '\0') {
    return absl::NotFoundError(
        absl::StrCat("environment variable ", variable, " is not set"));
  }
  return SecretString(std::string_view(value));
}

void StripOneTrailingNewline(SecretString& value) {
  if (value.view().ends_with("\r\n")) {
    value.resize(value.size() - 2);
  } else if (value.view().ends_with("\n")) {
    value.resize(value.size() - 1);
  }
}

absl::StatusOr<SecretString> FromFile(const std::string& raw_path) {
  // open() would read the path only up to the NUL: another file than the
  // one written.
  if (raw_path.find('\0') != std::string::npos) {
    return absl::InvalidArgumentError(
        "a file: secret reference contains a NUL character");
  }
  const std::string path = ExpandHome(raw_path);
  // Symlinks are followed (a link of yours to a file of yours is fine); the
  // file reached is checked on the open descriptor. O_NONBLOCK: opening a
  // FIFO must not block (it used to hang a reload in the signal thread, and
  // with it SIGTERM); it is refused as not a regular file just below.
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT) {
      return absl::NotFoundError(
          absl::StrCat("secret file ", path, " does not exist"));
    }
    return absl::PermissionDeniedError(
        absl::StrCat("cannot read secret file ", path, ": ", strerror(err)));
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return absl::InvalidArgumentError(
        absl::StrCat("secret file ", path, " is not a regular file"));
  }
  // Whoever owns the file chooses the secret, and a root agent must not
  // serve another user's file reached through a link.
  if (st.st_uid != geteuid() && st.st_uid != 0) {
    close(fd);
    return absl::PermissionDeniedError(absl::StrCat(
        "secret file ", path, " belongs to uid ", st.st_uid,
        ", neither you (uid ", geteuid(), ") nor root: refusing to read it"));
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    close(fd);
    return absl::PermissionDeniedError(absl::StrCat(
        "secret file ", path,
        " is readable by group or others: run 'chmod 600 ", path, "'"));
  }
  if (static_cast<size_t>(st.st_size) > kMaxSecretFileBytes) {
    close(fd);
    return absl::InvalidArgumentError(
        absl::StrCat("secret file ", path, " is larger than 1 MiB"));
  }
  SecretString value;
  value.resize(static_cast<size_t>(st.st_size));
  size_t done = 0;
  while (done < value.size()) {
    ssize_t n = read(fd, value.data() + done, value.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  close(fd);
  value.resize(done);
  StripOneTrailingNewline(value);
  if (value.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("secret file ", path, " is empty"));
  }
  return value;
}

absl::StatusOr<SecretString> FromStore(const std::string& name,
                                       SecretStore* store) {
  if (store == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("keyring:", name, " needs a secret store"));
  }
  absl::StatusOr<SecretString> value = store->Get({name, "secret", ""});
  if (absl::IsNotFound(value.status())) {
    return absl::NotFoundError(
        absl::StrCat("no secret \"", name, "\" in the ", store->name(),
                     " store: run 'mcpcred add ", name, "'"));
  }
  return value;
}

}  // namespace

bool IsSecretRef(const std::string& text) {
  return absl::StartsWith(text, "env:") || absl::StartsWith(text, "file:") ||
         absl::StartsWith(text, "keyring:");
}

absl::StatusOr<SecretString> ResolveSecretRef(const std::string& reference,
                                              SecretStore* store) {
  if (absl::StartsWith(reference, "env:")) return FromEnv(reference.substr(4));
  if (absl::StartsWith(reference, "file:")) {
    return FromFile(reference.substr(5));
  }
  if (absl::StartsWith(reference, "keyring:")) {
    return FromStore(reference.substr(8), store);
  }
  return absl::InvalidArgumentError(
      "not a secret reference: expected env:VAR, file:PATH or keyring:NAME");
}

}  // namespace mcpcred
