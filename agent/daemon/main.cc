// mcpcred-agent: the per-user credential agent for MCP hosts.
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "agent/config/lifetime.h"
#include "agent/daemon/agent.h"
#include "agent/daemon/config_check.h"
#include "agent/daemon/listen_socket.h"
#include "agent/daemon/options.h"
#include "agent/daemon/stop_agent.h"
#include "agent/plugin/plugin_registry.h"
#include "agent/util/log.h"
#include "mcpcred/common/paths.h"

namespace mcpcred {
namespace {

int Fail(const std::string& message) {
  fprintf(stderr, "mcpcred-agent: %s\n", message.c_str());
  return 1;
}

// Without $MCPCRED_SOCK or $XDG_RUNTIME_DIR (a bare ssh session), -s still
// works the way ssh-agent does: a fresh private directory under /tmp, named
// in *temp_dir (else left empty) so that it goes when the agent does.
absl::StatusOr<std::string> SocketPathFor(const AgentOptions& options,
                                          std::string* temp_dir) {
  if (!options.socket_path.empty()) return options.socket_path;
  absl::StatusOr<std::string> path = DefaultSocketPath();
  if (path.ok() || options.mode != AgentMode::kDaemon) return path;
  char dir[] = "/tmp/mcpcred-XXXXXX";
  if (mkdtemp(dir) == nullptr) return path.status();
  *temp_dir = dir;
  return std::string(dir) + "/agent.sock";
}

// Removes what the agent made for its socket: the socket file unless systemd
// owns it (or Serve() already removed it), and the directory -s made.
void RemoveSocket(const ListenSocket* socket, const std::string& temp_dir) {
  if (socket != nullptr && socket->fd >= 0 && socket->owned) {
    unlink(socket->path.c_str());
  }
  if (!temp_dir.empty()) rmdir(temp_dir.c_str());
}

void PrintShellCommands(const AgentOptions& options, const std::string& path,
                        pid_t pid) {
  if (options.csh) {
    printf("setenv MCPCRED_SOCK %s;\nsetenv MCPCRED_AGENT_PID %d;\n",
           path.c_str(), static_cast<int>(pid));
  } else {
    printf(
        "MCPCRED_SOCK=%s; export MCPCRED_SOCK;\n"
        "MCPCRED_AGENT_PID=%d; export MCPCRED_AGENT_PID;\n",
        path.c_str(), static_cast<int>(pid));
  }
  printf("echo Agent pid %d;\n", static_cast<int>(pid));
  fflush(stdout);
}

// Detaches like ssh-agent: the parent prints the shell commands and exits;
// the child loses its terminal and standard streams.
bool Daemonize(const AgentOptions& options, const std::string& path) {
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) return false;
  if (pid > 0) {
    PrintShellCommands(options, path, pid);
    _exit(0);
  }
  setsid();
  int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null_fd >= 0) {
    dup2(null_fd, STDIN_FILENO);
    dup2(null_fd, STDOUT_FILENO);
    if (!options.debug) dup2(null_fd, STDERR_FILENO);
    if (null_fd > STDERR_FILENO) close(null_fd);
  }
  return true;
}

int RunKill(const AgentOptions& options) {
  std::string no_temp_dir;  // -k never makes one
  absl::StatusOr<std::string> path = SocketPathFor(options, &no_temp_dir);
  if (!path.ok()) return Fail(std::string(path.status().message()));
  absl::StatusOr<pid_t> pid = StopAgent(*path);
  if (!pid.ok()) return Fail(std::string(pid.status().message()));
  if (options.csh) {
    printf("unsetenv MCPCRED_SOCK;\nunsetenv MCPCRED_AGENT_PID;\n");
  } else {
    printf("unset MCPCRED_SOCK;\nunset MCPCRED_AGENT_PID;\n");
  }
  printf("echo Agent pid %d killed;\n", static_cast<int>(*pid));
  return 0;
}

// --check: one line per problem on stderr and exit 1, or "PATH: ok" and 0.
int RunCheck(const AgentSettings& settings) {
  ConfigCheck check = CheckConfig(settings);
  for (const std::string& problem : check.problems) {
    fprintf(stderr, "%s\n", problem.c_str());
  }
  if (!check.problems.empty()) return 1;
  printf("%s: ok (%d credential%s)\n", settings.config_path.c_str(),
         check.credentials, check.credentials == 1 ? "" : "s");
  return 0;
}

int Run(int argc, char** argv) {
  AgentOptions options;
  int exit_code = 0;
  if (!ParseAgentOptions(argc, argv, &options, &exit_code)) return exit_code;
  if (options.mode == AgentMode::kKill) return RunKill(options);

  // No core dumps or ptrace by other processes of this user: the agent's
  // memory is full of secrets.
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  if (options.debug) SetLogLevel(LogLevel::kDebug);
  // journald timestamps lines itself.
  if (getenv("JOURNAL_STREAM") != nullptr) SetLogTimestamps(false);

  AgentSettings settings;
  settings.plugin_dirs = PluginRegistry::DefaultDirs();
  settings.fetch_timeout = absl::Seconds(options.fetch_timeout_seconds);
  if (!options.default_lifetime.empty()) {
    // Checked when parsed.
    settings.default_lifetime =
        *config::ParseLifetime(options.default_lifetime);
  }
  if (!options.config_path.empty()) {
    // Absolute, so reloads and `mcpcred status` do not depend on the cwd.
    char* absolute = realpath(options.config_path.c_str(), nullptr);
    settings.config_path = absolute != nullptr ? absolute : options.config_path;
    free(absolute);
  } else {
    absl::StatusOr<std::string> config = DefaultConfigPath();
    if (!config.ok()) return Fail(std::string(config.status().message()));
    settings.config_path = *config;
  }
  absl::StatusOr<std::string> state = DefaultStateDir();
  if (state.ok()) settings.state_dir = *state;
  if (options.mode == AgentMode::kCheck) {
    // Only the problems: not the store's choice of backend, say.
    if (!options.debug) SetLogLevel(LogLevel::kError);
    return RunCheck(settings);
  }

  // The socket comes first, so a second agent is refused before any work.
  std::string temp_dir;
  absl::StatusOr<ListenSocket> socket = TakeActivatedSocket();
  if (absl::IsNotFound(socket.status())) {
    absl::StatusOr<std::string> path = SocketPathFor(options, &temp_dir);
    if (!path.ok()) return Fail(std::string(path.status().message()));
    socket = BindListenSocket(*path);
  }
  if (!socket.ok()) {
    RemoveSocket(nullptr, temp_dir);
    return Fail(std::string(socket.status().message()));
  }
  // Created, checked and kept like the main socket (directory 0700,
  // socket 0600).
  ListenSocket extra;
  if (!options.extra_socket_path.empty()) {
    absl::StatusOr<ListenSocket> bound =
        BindListenSocket(options.extra_socket_path);
    if (!bound.ok()) {
      RemoveSocket(&*socket, temp_dir);
      return Fail(absl::StrCat("--extra-socket: ", bound.status().message()));
    }
    extra = *std::move(bound);
  }

  absl::StatusOr<std::unique_ptr<Agent>> agent = Agent::Create(settings);
  if (!agent.ok()) {
    RemoveSocket(&extra, "");
    RemoveSocket(&*socket, temp_dir);
    return Fail(std::string(agent.status().message()));
  }
  // Fork before any thread exists: Create() starts none.
  if (options.mode == AgentMode::kDaemon && !Daemonize(options, socket->path)) {
    RemoveSocket(&extra, "");
    RemoveSocket(&*socket, temp_dir);
    return Fail("cannot fork");
  }
  // The daemon is a new process: make SO_PEERCRED name it, not its parent.
  absl::Status relisten = ListenAsThisProcess(*socket);
  if (relisten.ok() && extra.fd >= 0) relisten = ListenAsThisProcess(extra);
  if (!relisten.ok()) {
    RemoveSocket(&extra, "");
    RemoveSocket(&*socket, temp_dir);
    return Fail(std::string(relisten.message()));
  }
  // Block the control signals in every thread; Serve() waits for them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);

  absl::Status served = (*agent)->Serve(*std::move(socket), std::move(extra));
  // A provider call that ignored the stop still runs and uses the agent.
  if ((*agent)->threads_left()) (void)agent->release();
  RemoveSocket(nullptr, temp_dir);  // Serve() removed the socket file
  if (!served.ok()) return Fail(std::string(served.message()));
  return 0;
}

}  // namespace
}  // namespace mcpcred

int main(int argc, char** argv) { return mcpcred::Run(argc, argv); }
