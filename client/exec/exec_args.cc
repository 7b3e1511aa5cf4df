#include "exec_args.h"

#include <cstdint>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace mcpcred::exec {
namespace {

// Splits "--opt=VALUE"; returns false for a bare "--opt".
bool SplitInlineValue(const std::string& arg, std::string* option,
                      std::string* value) {
  size_t equals = arg.find('=');
  if (equals == std::string::npos) return false;
  *option = arg.substr(0, equals);
  *value = arg.substr(equals + 1);
  return true;
}

}  // namespace

const char* ExecUsage() {
  return "usage: mcpcred-exec [--socket PATH] [--min-ttl SECONDS] "
         "[--pass-socket] NAME [NAME...] -- COMMAND [ARG...]\n"
         "Runs COMMAND (no shell) with the named credentials' environment\n"
         "merged into its own, and MCPCRED_SECRET_KEYS listing the secret "
         "keys.\n"
         "COMMAND does not get MCPCRED_SOCK, so that it cannot ask the agent "
         "for\nother credentials, unless --pass-socket gives it the agent's "
         "socket.\n";
}

absl::StatusOr<ExecArgs> ParseExecArgs(const std::vector<std::string>& args) {
  ExecArgs parsed;
  bool saw_separator = false;
  size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      saw_separator = true;
      ++i;
      break;
    }
    if (arg == "-h" || arg == "--help") {
      ExecArgs help;
      help.help = true;
      return help;
    }
    if (arg.empty() || arg[0] != '-') {
      parsed.names.push_back(arg);
      continue;
    }
    if (arg == "--pass-socket") {
      parsed.pass_socket = true;
      continue;
    }
    std::string option = arg;
    std::string value;
    if (!SplitInlineValue(arg, &option, &value)) {
      if (option != "--socket" && option != "--min-ttl") {
        return absl::InvalidArgumentError(
            absl::StrCat("unknown option ", option));
      }
      if (i + 1 >= args.size() || args[i + 1] == "--") {
        return absl::InvalidArgumentError(
            absl::StrCat(option, " needs a value"));
      }
      value = args[++i];
    }
    if (option == "--socket") {
      if (value.empty()) {
        return absl::InvalidArgumentError("--socket needs a path");
      }
      parsed.socket_path = value;
    } else if (option == "--min-ttl") {
      int64_t seconds = 0;
      if (!absl::SimpleAtoi(value, &seconds) || seconds < 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            "--min-ttl needs a number of seconds >= 0, not \"", value, "\""));
      }
      parsed.min_ttl = std::chrono::seconds(seconds);
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown option ", option));
    }
  }
  if (!saw_separator) {
    return absl::InvalidArgumentError(
        "missing `--` between the credential names and the command");
  }
  if (parsed.names.empty()) {
    return absl::InvalidArgumentError("no credential NAME before `--`");
  }
  parsed.command.assign(args.begin() + static_cast<std::ptrdiff_t>(i),
                        args.end());
  if (parsed.command.empty()) {
    return absl::InvalidArgumentError("no COMMAND after `--`");
  }
  if (parsed.command[0].empty()) {
    return absl::InvalidArgumentError("COMMAND is empty");
  }
  return parsed;
}

}  // namespace mcpcred::exec
