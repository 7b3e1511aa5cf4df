#include "plugins/command/command_config.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace mcpcred::command {
namespace {

constexpr int64_t kMinTimeoutSeconds = 1;
constexpr int64_t kMaxTimeoutSeconds = 300;

absl::Status Invalid(std::string* error_key, const std::string& key,
                     const std::string& message) {
  *error_key = key;
  return absl::InvalidArgumentError(message);
}

bool HasNul(const std::string& s) { return s.find('\0') != std::string::npos; }

// Finds a bare program name the way execvp() would, but once, at create, so
// that every run executes the same file and a typo is reported at load.
absl::StatusOr<std::string> SearchPath(const std::string& name,
                                       const std::string& environment_path) {
  for (absl::string_view dir :
       absl::StrSplit(environment_path, ':', absl::SkipEmpty())) {
    // An empty or relative PATH entry would depend on the agent's working
    // directory, which nobody chose on purpose: skip it.
    if (dir.front() != '/') continue;
    std::string candidate = absl::StrCat(dir, "/", name);
    if (CheckExecutable(candidate).ok()) return candidate;
  }
  return absl::NotFoundError(absl::StrCat(
      "command \"", name, "\" was not found in PATH: give its absolute path"));
}

absl::Status ParseArgv(const nlohmann::json& config,
                       const std::string& environment_path,
                       const std::string& home, CommandConfig* out,
                       std::string* error_key) {
  auto it = config.find("command");
  if (it == config.end()) {
    return Invalid(error_key, "command",
                   "\"command\" is required: the program to run and its "
                   "arguments, e.g. [\"/usr/local/bin/get-token\"]");
  }
  if (!it->is_array()) {
    return Invalid(error_key, "command",
                   "\"command\" must be an array of strings");
  }
  if (it->empty()) {
    return Invalid(error_key, "command",
                   "\"command\" is empty: give the program to run and its "
                   "arguments");
  }
  for (const nlohmann::json& arg : *it) {
    if (!arg.is_string()) {
      return Invalid(error_key, "command",
                     "\"command\" must be an array of strings");
    }
    if (HasNul(arg.get_ref<const std::string&>())) {
      return Invalid(error_key, "command",
                     "an argument in \"command\" contains a NUL character");
    }
    out->argv.push_back(arg.get<std::string>());
  }
  std::string program = ExpandHome(out->argv[0], home);
  if (program.empty()) {
    return Invalid(error_key, "command",
                   "the program (the first element of \"command\") is empty");
  }
  absl::Status found;
  if (program.find('/') == std::string::npos) {
    absl::StatusOr<std::string> resolved =
        SearchPath(program, environment_path);
    if (resolved.ok()) program = *std::move(resolved);
    found = resolved.status();
  } else if (program.front() != '/') {
    // Relative to what? The agent's working directory is an accident.
    return Invalid(error_key, "command",
                   absl::StrCat("command \"", program,
                                "\" must be an absolute path or a program "
                                "name found in PATH"));
  } else {
    found = CheckExecutable(program);
  }
  if (!found.ok()) {
    *error_key = "command";
    return found;
  }
  out->argv[0] = program;
  return absl::OkStatus();
}

}  // namespace

std::string HomeDirectory() {
  const char* home = std::getenv("HOME");
  if (home != nullptr && home[0] != '\0') return home;
  struct passwd pw;
  struct passwd* result = nullptr;
  char buffer[4096];
  if (getpwuid_r(getuid(), &pw, buffer, sizeof(buffer), &result) == 0 &&
      result != nullptr && result->pw_dir != nullptr) {
    return result->pw_dir;
  }
  return "";
}

std::string ExpandHome(const std::string& path, const std::string& home) {
  if (home.empty()) return path;
  if (path == "~") return home;
  if (path.rfind("~/", 0) == 0) return home + path.substr(1);
  return path;
}

absl::Status CheckExecutable(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    int err = errno;
    return absl::NotFoundError(
        absl::StrCat("command \"", path, "\" cannot be run: ", strerror(err)));
  }
  if (!S_ISREG(st.st_mode)) {
    return absl::NotFoundError(
        absl::StrCat("command \"", path, "\" is not a regular file"));
  }
  if (access(path.c_str(), X_OK) != 0) {
    return absl::NotFoundError(
        absl::StrCat("command \"", path, "\" is not executable"));
  }
  return absl::OkStatus();
}

absl::Status CheckDirectory(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    int err = errno;
    return absl::NotFoundError(absl::StrCat(
        "working directory \"", path, "\" cannot be used: ", strerror(err)));
  }
  if (!S_ISDIR(st.st_mode)) {
    return absl::NotFoundError(
        absl::StrCat("working directory \"", path, "\" is not a directory"));
  }
  return absl::OkStatus();
}

absl::StatusOr<CommandConfig> ParseCommandConfig(
    const nlohmann::json& config, const std::string& environment_path,
    const std::string& home, std::string* error_key) {
  error_key->clear();
  if (!config.is_object()) {
    return absl::InvalidArgumentError("the configuration is not a table");
  }
  CommandConfig out;
  absl::Status argv =
      ParseArgv(config, environment_path, home, &out, error_key);
  if (!argv.ok()) return argv;

  if (auto it = config.find("timeout_seconds"); it != config.end()) {
    if (!it->is_number_integer()) {
      return Invalid(error_key, "timeout_seconds",
                     "\"timeout_seconds\" must be a whole number of seconds");
    }
    // A signed read: an unsigned JSON number above INT64_MAX wraps negative
    // and is refused by the range check like any other bad value.
    int64_t seconds = it->get<int64_t>();
    if (seconds < kMinTimeoutSeconds || seconds > kMaxTimeoutSeconds) {
      return Invalid(error_key, "timeout_seconds",
                     absl::StrCat("\"timeout_seconds\" must be between ",
                                  kMinTimeoutSeconds, " and ",
                                  kMaxTimeoutSeconds, ", not ", it->dump()));
    }
    out.timeout = absl::Seconds(seconds);
  }

  if (auto it = config.find("working_directory"); it != config.end()) {
    if (!it->is_string() || it->get_ref<const std::string&>().empty() ||
        HasNul(it->get_ref<const std::string&>())) {
      return Invalid(error_key, "working_directory",
                     "\"working_directory\" must be a non-empty path");
    }
    std::string dir = ExpandHome(it->get<std::string>(), home);
    if (dir.front() != '/') {
      return Invalid(error_key, "working_directory",
                     absl::StrCat("working directory \"", dir,
                                  "\" must be an absolute path"));
    }
    absl::Status exists = CheckDirectory(dir);
    if (!exists.ok()) {
      *error_key = "working_directory";
      return exists;
    }
    out.working_directory = std::move(dir);
  }
  return out;
}

}  // namespace mcpcred::command
