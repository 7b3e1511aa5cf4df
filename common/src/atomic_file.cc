#include "mcpcred/common/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace mcpcred {
namespace {

// Closes a descriptor on every path out of a function.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }
  // Closes now and reports close()'s error: on NFS and some full file
  // systems a failed write shows up only here.
  int Close() {
    int rc = close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

absl::Status WriteAll(int fd, absl::string_view data, const std::string& tmp) {
  while (!data.empty()) {
    ssize_t n = write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return FileError(errno, "cannot write", tmp);
    data.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

// "a/b/c" -> "a/b"; "c" -> "."; "/c" -> "/".
std::string ParentDir(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

absl::Status FsyncDir(const std::string& dir) {
  Fd fd(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return FileError(errno, "cannot open directory", dir);
  if (fsync(fd.get()) != 0) return FileError(errno, "cannot sync", dir);
  return absl::OkStatus();
}

}  // namespace

absl::Status FileError(int err, absl::string_view action,
                       const std::string& path) {
  std::string message = absl::StrCat(action, " ", path, ": ", strerror(err));
  switch (err) {
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
      return absl::ResourceExhaustedError(message);
    case EACCES:
    case EPERM:
    case EROFS:
      return absl::PermissionDeniedError(message);
    case ENOENT:
      return absl::NotFoundError(message);
    default:
      return absl::InternalError(message);
  }
}

absl::Status WriteFileAtomically(const std::string& path,
                                 absl::string_view data, mode_t mode,
                                 bool no_replace, std::string* sync_warning) {
  std::string tmp = path + ".tmp-XXXXXX";
  // mkstemp creates the file 0600, so the data is never readable by others,
  // even before the fchmod below.
  Fd fd(mkostemp(tmp.data(), O_CLOEXEC));
  if (fd.get() < 0)
    return FileError(errno, "cannot create a file beside", path);
  absl::Status status = WriteAll(fd.get(), data, tmp);
  if (status.ok() && fchmod(fd.get(), mode) != 0) {
    status = FileError(errno, "cannot chmod", tmp);
  }
  if (status.ok() && fsync(fd.get()) != 0) {
    status = FileError(errno, "cannot sync", tmp);
  }
  if (status.ok() && fd.Close() != 0) {
    status = FileError(errno, "cannot close", tmp);
  }
  if (status.ok()) {
    if (no_replace) {
      // link() fails with EEXIST instead of replacing: the first writer wins.
      if (link(tmp.c_str(), path.c_str()) != 0) {
        int err = errno;
        status = err == EEXIST
                     ? absl::AlreadyExistsError(absl::StrCat(path, " exists"))
                     : FileError(err, "cannot create", path);
      }
    } else if (rename(tmp.c_str(), path.c_str()) != 0) {
      status = FileError(errno, "cannot replace", path);
    }
  }
  // After link() the temporary name is a second name of the new file; after
  // rename() it is gone; after a failure it is garbage. Either way remove it.
  unlink(tmp.c_str());
  if (!status.ok()) return status;
  // The new file is in place and its data on disk; only the rename's own
  // durability is in doubt. An error now would claim `path` untouched.
  absl::Status synced = FsyncDir(ParentDir(path));
  if (!synced.ok() && sync_warning != nullptr) {
    *sync_warning = absl::StrCat(
        synced.message(), ": a crash now could bring back the old ", path);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadWholeFile(const std::string& path,
                                          size_t max_bytes, struct stat* info) {
  Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) return FileError(errno, "cannot open", path);
  struct stat st;
  if (fstat(fd.get(), &st) != 0) return FileError(errno, "cannot stat", path);
  if (!S_ISREG(st.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, " is not a regular file"));
  }
  if (static_cast<size_t>(st.st_size) > max_bytes) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, " is larger than ", max_bytes, " bytes"));
  }
  std::string data(static_cast<size_t>(st.st_size), '\0');
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = read(fd.get(), data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return FileError(errno, "cannot read", path);
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  // A file that shrank meanwhile: the short read is what is there.
  data.resize(done);
  if (info != nullptr) *info = st;
  return data;
}

}  // namespace mcpcred
