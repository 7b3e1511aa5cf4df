#include "agent/util/fs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
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
  if (S_ISLNK(st.st_mode)) {
    // Following it would let whoever controls the link choose the directory.
    char target[PATH_MAX];
    const ssize_t n = readlink(dir.c_str(), target, sizeof(target) - 1);
    const std::string to =
        n > 0 ? std::string(target, static_cast<size_t>(n)) : "?";
    return absl::FailedPreconditionError(absl::StrCat(
        dir, " is a symbolic link (to ", to,
        "), and the agent uses only a real directory here, owned by you with "
        "mode 0700: use the directory the link points to instead (e.g. "
        "--socket or MCPCRED_SOCK inside it), or replace the link with a "
        "directory ('rm ",
        dir, " && mkdir -m 700 ", dir, "')"));
  }
  if (!S_ISDIR(st.st_mode)) {
    return absl::FailedPreconditionError(absl::StrCat(
        dir,
        " exists but is not a directory: remove it or choose another "
        "path"));
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

absl::Status CheckNotWritableByOthers(const struct stat& st,
                                      absl::string_view what,
                                      const std::string& path) {
  if (st.st_uid != 0 && st.st_uid != geteuid()) {
    return absl::PermissionDeniedError(absl::StrFormat(
        "%s %s belongs to uid %d, neither you (uid %d) nor root: refusing to "
        "use it; if you trust its content, run 'chown %d %s'",
        what, path, st.st_uid, geteuid(), geteuid(), path));
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return absl::PermissionDeniedError(absl::StrFormat(
        "%s %s is writable by group or others (mode %04o): refusing to use "
        "it; run 'chmod go-w %s'",
        what, path, st.st_mode & 07777, path));
  }
  return absl::OkStatus();
}

absl::Status CheckTrustedDir(const std::string& dir, absl::string_view what) {
  char* resolved = realpath(dir.c_str(), nullptr);
  if (resolved == nullptr) {
    const int err = errno;
    if (err == ENOENT) {
      return absl::NotFoundError(absl::StrCat(what, " ", dir, " not found"));
    }
    return absl::PermissionDeniedError(
        absl::StrCat("cannot access ", what, " ", dir, ": ", strerror(err)));
  }
  std::string path(resolved);
  std::free(resolved);
  const std::string shown =
      path == dir ? dir : absl::StrCat(dir, " (", path, ")");
  for (bool first = true;; first = false) {
    struct stat st;
    if (lstat(path.c_str(), &st) != 0) {
      return absl::PermissionDeniedError(
          absl::StrCat("cannot access ", path, ": ", strerror(errno)));
    }
    if (first && !S_ISDIR(st.st_mode)) {
      return absl::PermissionDeniedError(
          absl::StrCat(what, " ", shown, " is not a directory"));
    }
    // Others may create entries in a sticky parent owned by root or us, but
    // not rename ours.
    const bool sticky_parent = !first && (st.st_mode & S_ISVTX) != 0;
    const bool accepted =
        sticky_parent && (st.st_uid == 0 || st.st_uid == geteuid());
    absl::Status trusted = accepted ? absl::OkStatus()
                                    : CheckNotWritableByOthers(
                                          st, first ? what : "directory", path);
    if (!trusted.ok() && !first) {
      return absl::PermissionDeniedError(
          absl::StrCat(what, " ", shown, ": its parent ", trusted.message()));
    }
    if (!trusted.ok()) return trusted;
    if (path == "/") return absl::OkStatus();
    path = Dirname(path);
  }
}

absl::StatusOr<int> OpenTrustedFile(const std::string& path,
                                    absl::string_view what, struct stat* out) {
  // O_NONBLOCK: a FIFO must not hang the agent before S_ISREG refuses it.
  const int fd =
      open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) {
      return absl::NotFoundError(absl::StrCat(what, " ", path, " not found"));
    }
    if (err == ELOOP) {
      return absl::PermissionDeniedError(absl::StrCat(
          what, " ", path, " is a symbolic link: refusing to load it; put the ",
          what, " file itself in the directory"));
    }
    return absl::PermissionDeniedError(
        absl::StrCat("cannot access ", what, " ", path, ": ", strerror(err)));
  }
  struct stat st;
  absl::Status status;
  if (fstat(fd, &st) != 0) {
    status = absl::PermissionDeniedError(
        absl::StrCat("cannot access ", what, " ", path, ": ", strerror(errno)));
  } else if (!S_ISREG(st.st_mode)) {
    status = absl::InvalidArgumentError(
        absl::StrCat(what, " ", path, " is not a regular file"));
  } else {
    // Whoever can write the file runs code inside the agent.
    status = CheckNotWritableByOthers(st, what, path);
  }
  if (!status.ok()) {
    close(fd);
    return status;
  }
  if (out != nullptr) *out = st;
  return fd;
}

std::string PathFromExecutable(absl::string_view reldir) {
  char exe[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  if (n <= 0) return "";
  return absl::StrCat(Dirname(std::string(exe, static_cast<size_t>(n))), "/../",
                      reldir);
}

}  // namespace mcpcred
