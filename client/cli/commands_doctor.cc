// doctor: one line per check, "ok: ..." or "problem: ... (how to fix it)".
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "commands.h"
#include "import/host_files.h"
#include "import/import_plan.h"
#include "mcpcred/client.h"
#include "mcpcred/common/paths.h"
#include "tool_util.h"

namespace mcpcred::cli {
namespace {

class Report {
 public:
  void Ok(absl::string_view line) {
    absl::StrAppend(&out_, "ok: ", line, "\n");
  }
  void Problem(absl::string_view line) {
    absl::StrAppend(&out_, "problem: ", line, "\n");
    ++problems_;
  }
  const std::string& text() const { return out_; }
  int problems() const { return problems_; }

 private:
  std::string out_;
  int problems_ = 0;
};

std::string Mode(mode_t mode) { return absl::StrFormat("%04o", mode & 07777); }

// The socket and its directory: present, private.
void CheckSocket(const std::string& path, Report* report) {
  std::string dir = path.substr(0, path.rfind('/'));
  struct stat st;
  if (!dir.empty() && stat(dir.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
    report->Problem(absl::StrCat(
        "the socket directory ", dir, " is mode ", Mode(st.st_mode),
        ", open to others: run 'chmod 700 ", dir, "'"));
  }
  if (lstat(path.c_str(), &st) != 0) return;
  if (!S_ISSOCK(st.st_mode)) {
    report->Problem(absl::StrCat(path,
                                 " is not a socket: move it away and "
                                 "start the agent"));
  } else if ((st.st_mode & 077) != 0) {
    report->Problem(absl::StrCat(
        "the socket ", path, " is mode ", Mode(st.st_mode),
        ", open to others: run 'chmod 600 ", path, "' (or restart the agent)"));
  } else {
    report->Ok(absl::StrCat("the socket ", path,
                            " and its directory are "
                            "private"));
  }
}

void CheckConfig(const std::string& path, Report* report) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    report->Problem(absl::StrCat("no config at ", path,
                                 ": write one (README, Configuration) or run "
                                 "'mcpcred import'"));
    return;
  }
  if ((st.st_mode & 022) != 0) {
    report->Problem(absl::StrCat(
        "the config ", path, " is mode ", Mode(st.st_mode),
        ", writable by others, who could make the agent run any command: run "
        "'chmod go-w ",
        path, "'"));
    return;
  }
  report->Ok(absl::StrCat("the config ", path, " is writable only by you"));
}

// False when no agent answers.
bool CheckAgent(Client& client, Report* report) {
  absl::StatusOr<v1::AgentStatus> status = client.GetStatus();
  if (!status.ok()) {
    report->Problem(
        absl::StrCat("the agent is not running: ", status.status().message()));
    return false;
  }
  report->Ok(absl::StrCat("the agent is running (pid ", status->pid(),
                          ", version ", status->version(), ")"));
  CheckConfig(status->config_path(), report);
  if (!status->audit_error().empty()) {
    report->Problem(absl::StrCat("hand-outs are not being audited: ",
                                 status->audit_error()));
  }
  absl::StatusOr<v1::ListCredentialsResponse> list = client.ListCredentials();
  if (!list.ok()) {
    report->Problem(
        absl::StrCat("cannot list the credentials: ", list.status().message()));
    return true;
  }
  if (!list->store_error().empty()) {
    report->Problem(
        absl::StrCat("the ", list->store(),
                     " secret store is unavailable: ", list->store_error()));
  } else {
    report->Ok(
        absl::StrCat("the ", status->store(), " secret store answers",
                     status->store_location().empty()
                         ? ""
                         : absl::StrCat(" (", status->store_location(), ")")));
  }
  int ready = 0;
  for (const v1::CredentialInfo& info : list->credentials()) {
    if (info.state() == v1::CredentialInfo::LOGIN_REQUIRED) {
      report->Problem(absl::StrCat("credential \"", info.name(),
                                   "\" needs a login: run 'mcpcred login ",
                                   info.name(), "'"));
    } else if (info.state() == v1::CredentialInfo::ERROR) {
      report->Problem(absl::StrCat("credential \"", info.name(),
                                   "\": ", info.last_error()));
    } else {
      ++ready;
    }
  }
  if (ready == list->credentials_size()) {
    report->Ok(absl::StrCat("every credential is usable (", ready, ")"));
  }
  return true;
}

void CheckHostConfigs(Report* report) {
  using namespace ::mcpcred::cli::import;  // NOLINT
  absl::StatusOr<Places> places = PlacesFromEnvironment();
  if (!places.ok()) {
    report->Problem(std::string(places.status().message()));
    return;
  }
  ScanResult scan = ScanHostFiles(HostFiles(*places));
  for (const std::string& error : scan.errors) {
    report->Problem(absl::StrCat("cannot read a host config: ", error));
  }
  size_t files = scan.files.size();
  PlanInput input;
  input.files = std::move(scan.files);
  absl::StatusOr<ImportPlan> plan = MakePlan(std::move(input));
  if (!plan.ok()) {
    report->Problem(std::string(plan.status().message()));
    return;
  }
  for (const FileChange& file : plan->files) {
    size_t moved = 0;
    size_t left = 0;
    for (const ServerChange& server : file.servers) {
      (server.rewrite.has_value() ? moved : left) += server.secrets;
    }
    std::string path = ShortPath(*places, file.scanned.file.path);
    if (moved > 0) {
      report->Problem(absl::StrCat(moved, moved == 1 ? " secret" : " secrets",
                                   " in ", path, ": run 'mcpcred import'"));
    }
    if (left > 0) {
      report->Problem(absl::StrCat(
          left, left == 1 ? " secret" : " secrets", " in ", path,
          " that 'mcpcred import' cannot move: see 'mcpcred import "
          "--dry-run', then move them by hand"));
    }
  }
  if (plan->files.empty()) {
    report->Ok(absl::StrCat("no literal secret in the ", files,
                            files == 1 ? " host config" : " host configs",
                            " found"));
  }
}

}  // namespace

int RunDoctor(const GlobalOptions& options) {
  Report report;
  absl::StatusOr<std::string> socket =
      options.socket_path.empty()
          ? DefaultSocketPath()
          : absl::StatusOr<std::string>(options.socket_path);
  if (!socket.ok()) {
    report.Problem(absl::StrCat(
        "no agent socket: ", socket.status().message(),
        ": run 'eval \"$(mcpcred-agent -s)\"' or 'systemctl --user enable "
        "--now mcpcred-agent.socket'"));
  } else {
    CheckSocket(*socket, &report);
    absl::StatusOr<std::unique_ptr<Client>> client =
        ConnectToAgent(options.socket_path);
    bool running = client.ok() && CheckAgent(**client, &report);
    if (!client.ok()) {
      report.Problem(absl::StrCat("the agent is not running: ",
                                  client.status().message()));
    }
    // Without an agent, the config it would read is the default one.
    absl::StatusOr<std::string> config = DefaultConfigPath();
    if (!running && config.ok()) CheckConfig(*config, &report);
  }
  CheckHostConfigs(&report);
  Print(report.text());
  return report.problems() == 0 ? kExitOk : kExitError;
}

}  // namespace mcpcred::cli
