#include "remote_args.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "url_util.h"

namespace mcpcred::remote {

const char* RemoteUsage() {
  return "usage: mcpcred-remote [--socket PATH] [--open] NAME URL\n"
         "A stdio MCP server for the host that relays to the remote MCP "
         "server\n"
         "at URL (Streamable HTTP, or HTTP+SSE for older servers), with\n"
         "credential NAME's headers from mcpcred-agent on every request.\n"
         "Secret values in the server's output are masked. --open opens the\n"
         "browser (xdg-open) when the server asks for more scopes.\n";
}

absl::StatusOr<RemoteArgs> ParseRemoteArgs(
    const std::vector<std::string>& args) {
  RemoteArgs parsed;
  std::vector<std::string> positional;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "-h" || arg == "--help") {
      RemoteArgs help;
      help.help = true;
      return help;
    }
    if (arg == "--open") {
      parsed.open_browser = true;
    } else if (arg == "--socket" || absl::StartsWith(arg, "--socket=")) {
      std::string value;
      if (arg == "--socket") {
        if (i + 1 >= args.size()) {
          return absl::InvalidArgumentError("--socket needs a path");
        }
        value = args[++i];
      } else {
        value = arg.substr(sizeof("--socket=") - 1);
      }
      if (value.empty()) {
        return absl::InvalidArgumentError("--socket needs a path");
      }
      parsed.socket_path = value;
    } else if (absl::StartsWith(arg, "-") && arg != "-") {
      return absl::InvalidArgumentError(absl::StrCat("unknown option ", arg));
    } else {
      positional.push_back(arg);
    }
  }
  if (positional.empty()) {
    return absl::InvalidArgumentError("no credential NAME given");
  }
  if (positional.size() < 2) {
    return absl::InvalidArgumentError(
        "no URL given: the agent does not tell clients a credential's "
        "resource, so name the server's URL");
  }
  if (positional.size() > 2) {
    return absl::InvalidArgumentError("too many arguments");
  }
  parsed.name = positional[0];
  parsed.url = positional[1];
  absl::Status url = CheckServerUrl(parsed.url);
  if (!url.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("URL: ", url.message()));
  }
  return parsed;
}

}  // namespace mcpcred::remote
