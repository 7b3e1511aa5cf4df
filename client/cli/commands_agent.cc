// Subcommands that act on the agent as a whole: redact, reload; and the
// output helpers every subcommand uses.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "commands.h"
#include "mcpcred/client.h"
#include "output.h"
#include "tool_util.h"

namespace mcpcred::cli {
namespace {

absl::StatusOr<std::string> ReadAllStdin() {
  std::string text;
  char buffer[65536];
  while (true) {
    ssize_t n = read(STDIN_FILENO, buffer, sizeof(buffer));
    if (n > 0) {
      text.append(buffer, static_cast<size_t>(n));
    } else if (n == 0) {
      return text;
    } else if (errno != EINTR) {
      return absl::InternalError(
          absl::StrCat("cannot read stdin: ", std::strerror(errno)));
    }
  }
}

}  // namespace

void Print(absl::string_view text) {
  std::cout.write(text.data(), static_cast<std::streamsize>(text.size()));
  std::cout.flush();
}

int Fail(const absl::Status& status) {
  std::string line = ErrorLine("mcpcred", status.message());
  std::fwrite(line.data(), 1, line.size(), stderr);
  return ExitCodeFor(status);
}

int RunRedact(const GlobalOptions& options) {
  absl::StatusOr<std::string> text = ReadAllStdin();
  if (!text.ok()) return Fail(text.status());
  absl::StatusOr<std::unique_ptr<Client>> client =
      ConnectToAgent(options.socket_path);
  if (!client.ok()) return Fail(client.status());
  absl::StatusOr<v1::RedactResponse> redacted = (*client)->Redact(*text);
  if (!redacted.ok()) return Fail(redacted.status());
  Print(options.json ? DumpJson(RedactJson(*redacted)) : redacted->text());
  return kExitOk;
}

int RunReload(const GlobalOptions& options) {
  absl::StatusOr<std::unique_ptr<Client>> client =
      ConnectToAgent(options.socket_path);
  if (!client.ok()) return Fail(client.status());
  absl::StatusOr<v1::ReloadResponse> reloaded = (*client)->Reload();
  if (!reloaded.ok()) return Fail(reloaded.status());
  // Errors in single credentials are data (the rest reloaded): exit 0.
  Print(options.json ? DumpJson(ReloadJson(*reloaded))
                     : FormatReload(*reloaded));
  return kExitOk;
}

}  // namespace mcpcred::cli
