// mcpcred-exec: runs a stdio MCP server with credentials in its environment.
//
// Its stdout is the server's JSON-RPC channel once COMMAND runs, and the host
// reads it from the start: this program never writes to stdout, not even
// --help. Everything goes to stderr.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "exec_args.h"
#include "exec_env.h"
#include "mcpcred/client.h"
#include "tool_util.h"

extern char** environ;

namespace mcpcred::exec {
namespace {

int Fail(const absl::Status& status, int exit_code) {
  std::string line = ErrorLine("mcpcred-exec", status.message());
  std::fwrite(line.data(), 1, line.size(), stderr);
  return exit_code;
}

int Fail(const absl::Status& status) {
  return Fail(status, ExitCodeFor(status));
}

// Every credential, or the first error: COMMAND must not start half-equipped.
absl::StatusOr<std::vector<v1::Credential>> FetchAll(Client& client,
                                                     const ExecArgs& args) {
  std::vector<v1::Credential> credentials;
  for (const std::string& name : args.names) {
    absl::StatusOr<v1::Credential> credential =
        client.GetCredential(name, args.min_ttl);
    if (!credential.ok()) return credential.status();
    credentials.push_back(*std::move(credential));
  }
  return credentials;
}

int Main(int argc, char** argv) {
  absl::StatusOr<ExecArgs> args =
      ParseExecArgs(std::vector<std::string>(argv + 1, argv + argc));
  if (!args.ok()) {
    Fail(args.status(), kExitUsage);
    std::fputs(ExecUsage(), stderr);
    return kExitUsage;
  }
  if (args->help) {
    std::fputs(ExecUsage(), stderr);
    return kExitOk;
  }

  absl::StatusOr<std::unique_ptr<Client>> client =
      ConnectToAgent(args->socket_path);
  if (!client.ok()) return Fail(client.status());
  absl::StatusOr<std::vector<v1::Credential>> credentials =
      FetchAll(**client, *args);
  if (!credentials.ok()) return Fail(credentials.status());
  absl::StatusOr<std::vector<std::string>> environment = BuildEnvironment(
      EnvironToVector(environ), *credentials,
      args->pass_socket ? (*client)->socket_path() : std::string());
  if (!environment.ok()) return Fail(environment.status());

  std::vector<char*> envp;
  for (std::string& entry : *environment) envp.push_back(entry.data());
  envp.push_back(nullptr);
  std::vector<char*> command;
  for (std::string& arg : args->command) command.push_back(arg.data());
  command.push_back(nullptr);

  // execvpe searches our own $PATH, not one a credential might set: the
  // command line was written against the caller's environment.
  execvpe(command[0], command.data(), envp.data());
  int error = errno;
  // Conventional shell codes: 127 not found, 126 found but not runnable.
  int exit_code = error == ENOENT || error == ENOTDIR ? kExitCommandNotFound
                                                      : kExitCannotExecute;
  return Fail(absl::UnavailableError(
                  absl::StrCat(args->command[0], ": ", std::strerror(error))),
              exit_code);
}

}  // namespace
}  // namespace mcpcred::exec

int main(int argc, char** argv) { return mcpcred::exec::Main(argc, argv); }
