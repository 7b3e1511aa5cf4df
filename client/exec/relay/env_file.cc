#include "relay/env_file.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>

#include "absl/strings/str_cat.h"

namespace mcpcred::exec::relay {
namespace {

absl::Status ErrnoError(const std::string& what) {
  return absl::InternalError(absl::StrCat(what, ": ", std::strerror(errno)));
}

}  // namespace

absl::StatusOr<std::unique_ptr<EnvFile>> EnvFile::Create(
    const std::string& parent) {
  std::string pattern = parent + "/mcpcred-exec.XXXXXX";
  // mkdtemp makes it 0700.
  if (mkdtemp(pattern.data()) == nullptr) {
    return ErrnoError(absl::StrCat("cannot make a directory in ", parent));
  }
  return std::unique_ptr<EnvFile>(new EnvFile(pattern));
}

EnvFile::~EnvFile() {
  unlink(path_.c_str());
  unlink((path_ + ".new").c_str());
  rmdir(dir_.c_str());
}

absl::StatusOr<std::string> EnvFile::Render(
    const std::vector<v1::Credential>& credentials) {
  std::map<std::string, std::string> env;
  for (const v1::Credential& credential : credentials) {
    for (const auto& [key, value] : credential.env()) {
      if (value.find_first_of("\r\n") != std::string::npos) {
        return absl::InvalidArgumentError(
            absl::StrCat("credential \"", credential.name(),
                         "\": the value of ", key, " holds a line break"));
      }
      env[key] = value;
    }
  }
  std::string text;
  for (const auto& [key, value] : env)
    absl::StrAppend(&text, key, "=", value, "\n");
  return text;
}

absl::Status EnvFile::Write(const std::vector<v1::Credential>& credentials) {
  absl::StatusOr<std::string> text = Render(credentials);
  if (!text.ok()) return text.status();
  const std::string temporary = path_ + ".new";
  int fd =
      open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return ErrnoError(absl::StrCat("cannot write ", temporary));
  size_t written = 0;
  while (written < text->size()) {
    ssize_t n = write(fd, text->data() + written, text->size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      absl::Status error = ErrnoError(absl::StrCat("cannot write ", temporary));
      close(fd);
      return error;
    }
    written += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0 || close(fd) != 0) {
    return ErrnoError(absl::StrCat("cannot write ", temporary));
  }
  if (rename(temporary.c_str(), path_.c_str()) != 0) {
    return ErrnoError(absl::StrCat("cannot replace ", path_));
  }
  return absl::OkStatus();
}

}  // namespace mcpcred::exec::relay
