#include "command_path.h"

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "absl/strings/str_split.h"

namespace mcpcred::exec {
namespace {

std::string Absolute(const std::string& path) {
  if (!path.empty() && path[0] == '/') return path;
  char cwd[PATH_MAX];
  if (getcwd(cwd, sizeof(cwd)) == nullptr) return "";
  std::string dir(cwd);
  if (path.empty() || path == ".") return dir;
  return dir == "/" ? "/" + path : dir + "/" + path;
}

bool IsExecutableFile(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
         access(path.c_str(), X_OK) == 0;
}

}  // namespace

std::string ResolveCommandPath(const std::string& command,
                               const std::string& path_variable) {
  if (command.empty()) return "";
  if (command.find('/') != std::string::npos) return Absolute(command);
  for (absl::string_view dir : absl::StrSplit(path_variable, ':')) {
    std::string candidate =
        Absolute(std::string(dir.empty() ? "." : dir)) + "/" + command;
    if (IsExecutableFile(candidate)) return candidate;
  }
  return "";
}

}  // namespace mcpcred::exec
