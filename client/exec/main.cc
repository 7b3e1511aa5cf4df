// mcpcred-exec: runs a stdio MCP server with credentials in its environment.
//
// Its stdout is the server's JSON-RPC channel once COMMAND runs, and the host
// reads it from the start: this program never writes to stdout, not even
// --help. Everything goes to stderr.
//
// When a credential can expire (or with --relay) it stays COMMAND's parent
// and relays the MCP transport (relay/relay.h); otherwise it execs COMMAND.
#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "command_path.h"
#include "exec_args.h"
#include "exec_env.h"
#include "mcpcred/client.h"
#include "relay/relay.h"
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

int ExitCodeOfSpawn(int error) {
  // Conventional shell codes: 127 not found, 126 found but not runnable.
  return error == ENOENT || error == ENOTDIR ? kExitCommandNotFound
                                             : kExitCannotExecute;
}

std::string RuntimeDir() {
  const char* runtime = std::getenv("XDG_RUNTIME_DIR");
  return runtime != nullptr && runtime[0] == '/' ? runtime : "/tmp";
}

int RunRelay(const ExecArgs& args, std::unique_ptr<Client> client,
             std::vector<v1::Credential> credentials) {
  relay::RelayConfig config;
  config.command = args.command;
  config.names = args.names;
  config.inherited_env = EnvironToVector(environ);
  if (args.pass_socket) config.pass_socket_path = client->socket_path();
  if (args.min_ttl_given) config.min_ttl = args.min_ttl;
  config.drain_timeout = absl::FromChrono(args.drain_timeout);
  config.start_timeout = absl::FromChrono(args.start_timeout);
  config.on_rotate =
      args.on_rotate == RotateMode::kRestart  ? relay::OnRotate::kRestart
      : args.on_rotate == RotateMode::kSignal ? relay::OnRotate::kSignal
                                              : relay::OnRotate::kNone;
  config.rotate_signal = args.rotate_signal;
  config.mask = args.mask;
  config.private_dir_parent = RuntimeDir();
  // Program names only: arguments may say more than an audit log should.
  config.source = absl::StrCat("mcpcred-exec ", absl::StrJoin(args.names, " "),
                               " -- ", args.command[0]);
  std::optional<v1::GetRedactionValuesResponse> values;
  if (args.mask) {
    absl::StatusOr<v1::GetRedactionValuesResponse> fetched =
        client->GetRedactionValues();
    if (fetched.ok()) {
      values = *std::move(fetched);
    } else {
      std::string line = ErrorLine(
          "mcpcred-exec",
          absl::StrCat("masking only the credentials it injects: cannot get "
                       "the agent's other values: ",
                       fetched.status().message()));
      std::fwrite(line.data(), 1, line.size(), stderr);
    }
  }
  relay::RelayExit exit = relay::RunRelay(config, std::move(client),
                                          std::move(credentials), values);
  if (exit.spawn_errno != 0) return ExitCodeOfSpawn(exit.spawn_errno);
  if (exit.signal != 0) {
    // Ends as the server did, as if the host had started it directly.
    relay::RestoreSignals();
    std::signal(exit.signal, SIG_DFL);
    sigset_t only;
    sigemptyset(&only);
    sigaddset(&only, exit.signal);
    pthread_sigmask(SIG_UNBLOCK, &only, nullptr);
    raise(exit.signal);
    return 128 + exit.signal;
  }
  return exit.code;
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

  // Before any thread starts (gRPC's): the relay takes these signals on its
  // loop. Undone before an exec.
  relay::BlockRelaySignals();
  // The agent checks "exec:PATH" rules against this, trusting it because
  // this binary says it (and runs the very program it names).
  const char* path_variable = std::getenv("PATH");
  absl::StatusOr<std::unique_ptr<Client>> client = ConnectToAgent(
      args->socket_path,
      ResolveCommandPath(args->command[0], path_variable != nullptr
                                               ? path_variable
                                               : "/bin:/usr/bin"));
  if (!client.ok()) return Fail(client.status());
  absl::StatusOr<std::vector<v1::Credential>> credentials =
      FetchAll(**client, *args);
  if (!credentials.ok()) return Fail(credentials.status());
  bool expires = false;
  for (const v1::Credential& credential : *credentials) {
    expires |= credential.has_expires_at();
  }
  if (args->relay || expires) {
    return RunRelay(*args, *std::move(client), *std::move(credentials));
  }
  relay::RestoreSignals();

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
  return Fail(absl::UnavailableError(
                  absl::StrCat(args->command[0], ": ", std::strerror(error))),
              ExitCodeOfSpawn(error));
}

}  // namespace
}  // namespace mcpcred::exec

int main(int argc, char** argv) { return mcpcred::exec::Main(argc, argv); }
