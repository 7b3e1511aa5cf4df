#include "exec_args.h"

#include <csignal>
#include <cstdint>
#include <cstring>

#include "absl/strings/match.h"
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

absl::Status ParseSeconds(const std::string& option, const std::string& value,
                          std::chrono::seconds* seconds) {
  int64_t parsed = 0;
  if (!absl::SimpleAtoi(value, &parsed) || parsed < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        option, " needs a number of seconds >= 0, not \"", value, "\""));
  }
  *seconds = std::chrono::seconds(parsed);
  return absl::OkStatus();
}

// "HUP", "SIGHUP" or a number.
bool ParseSignal(std::string name, int* signal) {
  if (absl::SimpleAtoi(name, signal)) return *signal > 0 && *signal < NSIG;
  if (absl::StartsWith(name, "SIG")) name = name.substr(3);
  for (int number = 1; number < NSIG; ++number) {
    const char* abbreviation = sigabbrev_np(number);
    if (abbreviation != nullptr && name == abbreviation) {
      *signal = number;
      return true;
    }
  }
  return false;
}

absl::Status ParseOnRotate(const std::string& value, ExecArgs* parsed) {
  if (value == "restart") {
    parsed->on_rotate = RotateMode::kRestart;
  } else if (value == "none") {
    parsed->on_rotate = RotateMode::kNone;
  } else if (absl::StartsWith(value, "signal:") &&
             ParseSignal(value.substr(7), &parsed->rotate_signal)) {
    parsed->on_rotate = RotateMode::kSignal;
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "--on-rotate needs restart, signal:NAME (e.g. signal:HUP) or none, "
        "not \"",
        value, "\""));
  }
  return absl::OkStatus();
}

bool IsFlag(const std::string& option) {
  return option == "--relay" || option == "--no-mask";
}

bool TakesValue(const std::string& option) {
  return option == "--socket" || option == "--min-ttl" ||
         option == "--drain-timeout" || option == "--start-timeout" ||
         option == "--on-rotate";
}

}  // namespace

const char* ExecUsage() {
  return "usage: mcpcred-exec [--socket PATH] [--min-ttl SECONDS] [--relay]\n"
         "         [--no-mask] [--drain-timeout SECONDS] "
         "[--start-timeout SECONDS]\n"
         "         [--on-rotate restart|signal:NAME|none] [--pass-socket]\n"
         "         NAME [NAME...] -- COMMAND [ARG...]\n"
         "Runs COMMAND (no shell) with the named credentials' environment\n"
         "merged into its own, and MCPCRED_SECRET_KEYS listing the secret "
         "keys.\n"
         "When a credential expires (or with --relay) it stays COMMAND's\n"
         "parent and relays its MCP stdio transport: the server is started\n"
         "again on a fresh token before the old one expires (--min-ttl,\n"
         "default 60), invisibly to the host, and every secret value in its\n"
         "output is masked (unless --no-mask).\n"
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
    if (IsFlag(arg)) {
      if (arg == "--relay") parsed.relay = true;
      if (arg == "--no-mask") parsed.mask = false;
      continue;
    }
    if (!SplitInlineValue(arg, &option, &value)) {
      if (!TakesValue(option)) {
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
      absl::Status valid = ParseSeconds(option, value, &parsed.min_ttl);
      if (!valid.ok()) return valid;
      parsed.min_ttl_given = true;
    } else if (option == "--drain-timeout" || option == "--start-timeout") {
      absl::Status valid =
          ParseSeconds(option, value,
                       option == "--drain-timeout" ? &parsed.drain_timeout
                                                   : &parsed.start_timeout);
      if (!valid.ok()) return valid;
    } else if (option == "--on-rotate") {
      absl::Status valid = ParseOnRotate(value, &parsed);
      if (!valid.ok()) return valid;
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
