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

// Reads the next piece (up to 64 KiB) of standard input into *chunk; an
// empty chunk means the end.
absl::Status ReadStdinChunk(std::string* chunk) {
  chunk->resize(64 << 10);
  while (true) {
    ssize_t n = read(STDIN_FILENO, chunk->data(), chunk->size());
    if (n >= 0) {
      chunk->resize(static_cast<size_t>(n));
      return absl::OkStatus();
    }
    if (errno != EINTR) {
      chunk->clear();
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
  absl::StatusOr<std::unique_ptr<Client>> client =
      ConnectToAgent(options.socket_path);
  if (!client.ok()) return Fail(client.status());
  // Streamed through the agent in 64 KiB pieces: input of any size, and
  // output as soon as it is known (a pipe from a live log keeps flowing).
  std::string collected;  // --json prints one object at the end
  absl::Status read = absl::OkStatus();
  absl::StatusOr<uint64_t> replacements = (*client)->RedactStream(
      [&](std::string* chunk) {
        read = ReadStdinChunk(chunk);
        return read.ok() && !chunk->empty();
      },
      [&](const std::string& text) {
        if (options.json) {
          collected += text;
        } else {
          Print(text);
        }
      });
  if (!read.ok()) return Fail(read);
  if (!replacements.ok()) return Fail(replacements.status());
  if (options.json) {
    v1::RedactResponse redacted;
    redacted.set_text(std::move(collected));
    redacted.set_replacements(static_cast<uint32_t>(*replacements));
    Print(DumpJson(RedactJson(redacted)));
  }
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
