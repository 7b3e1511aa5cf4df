#include "agent/config/read_config_text.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace mcpcred::config {
namespace {

// std::error_code gives strerror's text without strerror's shared buffer.
absl::Status CannotRead(const std::string& path, int error) {
  return absl::PermissionDeniedError(
      absl::StrCat("cannot read config file ", path, ": ",
                   std::error_code(error, std::generic_category()).message()));
}

}  // namespace

absl::StatusOr<std::string> ReadConfigText(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) {
      return absl::NotFoundError(
          absl::StrCat("config file ", path, " not found"));
    }
    return CannotRead(path, errno);
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
