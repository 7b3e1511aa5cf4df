#include "agent/config/read_config_text.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "agent/util/fs.h"

namespace mcpcred::config {
namespace {

// std::error_code gives strerror's text without strerror's shared buffer.
absl::Status CannotRead(const std::string& path, int error) {
  return absl::PermissionDeniedError(
      absl::StrCat("cannot read config file ", path, ": ",
                   std::error_code(error, std::generic_category()).message()));
}

// The config says which programs the agent runs (provider = "command") and
// where it sends secrets: whoever can write the file, or replace it in its
// directory, commands the agent. `st` is the opened file's.
absl::Status CheckTrusted(int fd, const struct stat& st,
                          const std::string& path) {
  absl::Status file = CheckNotWritableByOthers(st, "config file", path);
  if (!file.ok()) return file;
  // The directory of the file itself (the end of any symlink chain), and the
  // one the path names.
  char target[PATH_MAX];
  const std::string link = absl::StrCat("/proc/self/fd/", fd);
  const ssize_t n = readlink(link.c_str(), target, sizeof(target) - 1);
  std::string dirs[2] = {Dirname(path), ""};
  if (n > 0) dirs[1] = Dirname(std::string(target, static_cast<size_t>(n)));
  for (const std::string& dir : dirs) {
    if (dir.empty()) continue;
    absl::Status trusted = CheckTrustedDir(dir, "config directory");
    if (!trusted.ok()) return trusted;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> ReadConfigText(const std::string& path) {
  // O_NONBLOCK: a FIFO must not hang the agent before it is refused below.
  const int fd =
      open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) {
      return absl::NotFoundError(
          absl::StrCat("config file ", path, " not found"));
    }
    return CannotRead(path, errno);
  }
  struct stat st;
  absl::Status usable;
  if (fstat(fd, &st) != 0) {
    usable = CannotRead(path, errno);
  } else if (S_ISDIR(st.st_mode)) {
    usable = CannotRead(path, EISDIR);
  } else if (!S_ISREG(st.st_mode)) {
    usable = absl::PermissionDeniedError(
        absl::StrCat("config file ", path, " is not a regular file"));
  } else {
    usable = CheckTrusted(fd, st, path);
  }
  if (!usable.ok()) {
    close(fd);
    return usable;
  }
  std::string text;
  char buffer[8192];
  while (true) {
    const ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      close(fd);
      return CannotRead(path, error);
    }
    text.append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  return text;
}

}  // namespace mcpcred::config
