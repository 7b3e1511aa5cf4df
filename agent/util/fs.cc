#include "agent/util/fs.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace mcpcred {

std::string Dirname(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

absl::Status MakePrivateDirs(const std::string& dir) {
  // Parents are ordinary directories (e.g. ~/.local/state): only the last
  // component must be private, as with ssh's ~/.ssh.
  for (size_t pos = dir.find('/', 1); pos != std::string::npos;
       pos = dir.find('/', pos + 1)) {
    std::string parent = dir.substr(0, pos);
    if (mkdir(parent.c_str(), 0755) != 0 && errno != EEXIST) {
      return absl::PermissionDeniedError(absl::StrCat(
          "cannot create directory ", parent, ": ", strerror(errno)));
    }
  }
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot create directory ", dir, ": ", strerror(errno)));
  }
  return CheckPrivateDir(dir);
}

absl::Status CheckPrivateDir(const std::string& dir) {
  struct stat st;
  if (lstat(dir.c_str(), &st) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot access ", dir, ": ", strerror(errno)));
  }
  if (!S_ISDIR(st.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat(dir, " is not a directory"));
  }
  if (st.st_uid != geteuid()) {
    return absl::FailedPreconditionError(
        absl::StrCat(dir, " belongs to uid ", st.st_uid, ", not to you (uid ",
                     geteuid(), "): remove it or choose another path"));
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return absl::FailedPreconditionError(
        absl::StrFormat("%s is accessible by group or others (mode %04o): run "
                        "'chmod 700 %s'",
                        dir, st.st_mode & 07777, dir));
  }
  return absl::OkStatus();
}

}  // namespace mcpcred
