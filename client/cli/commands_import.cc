// import: moves the literal secrets of MCP host configs into the agent
// (import/import_plan.h, import/import_apply.h).
#include <unistd.h>

#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "commands.h"
#include "import/host_files.h"
#include "import/import_apply.h"
#include "import/import_plan.h"
#include "mcpcred/client.h"
#include "mcpcred/common/atomic_file.h"
#include "mcpcred/common/paths.h"
#include "tool_util.h"

namespace mcpcred::cli {
namespace {

constexpr size_t kMaxConfigBytes = 16 << 20;

// What the plan needs from the agent: its config file and the names in use.
struct AgentFacts {
  std::string config_path;
  std::set<std::string> taken;
};

absl::StatusOr<AgentFacts> AskAgent(Client& client) {
  absl::StatusOr<v1::AgentStatus> status = client.GetStatus();
  if (!status.ok()) return status.status();
  absl::StatusOr<v1::ListCredentialsResponse> list = client.ListCredentials();
  if (!list.ok()) return list.status();
  if (!list->store_error().empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the agent's secret store cannot be used: ", list->store_error()));
  }
  AgentFacts facts;
  facts.config_path = status->config_path();
  for (const v1::CredentialInfo& info : list->credentials()) {
    facts.taken.insert(info.name());
  }
  for (const v1::StoredEntry& entry : list->stored()) {
    facts.taken.insert(entry.credential());
  }
  return facts;
}

// Whether the agent's credential `name` renders exactly `env` and `headers`.
bool Renders(Client& client, const std::string& name,
             const import::Templates& env, const import::Templates& headers) {
  absl::StatusOr<v1::Credential> credential = client.GetCredential(name);
  if (!credential.ok()) return false;
  auto same = [](const google::protobuf::Map<std::string, std::string>& have,
                 const import::Templates& want) {
    if (have.size() != want.size()) return false;
    for (const auto& [key, value] : want) {
      auto it = have.find(key);
      if (it == have.end() || it->second != value) return false;
    }
    return true;
  };
  return same(credential->env(), env) && same(credential->headers(), headers);
}

bool Confirm() {
  std::fputs("Apply this plan? [y/N] ", stderr);
  std::fflush(stderr);
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  answer = absl::AsciiStrToLower(absl::StripAsciiWhitespace(answer));
  return answer == "y" || answer == "yes";
}

}  // namespace

int RunImport(const GlobalOptions& options, const ImportOptions& import) {
  using namespace ::mcpcred::cli::import;  // NOLINT
  absl::StatusOr<Places> places = PlacesFromEnvironment();
  if (!places.ok()) return Fail(places.status());
  ScanResult scan = ScanHostFiles(HostFiles(*places));
  for (const std::string& error : scan.errors) {
    std::string line = ErrorLine("mcpcred", absl::StrCat(error, " (skipped)"));
    std::fwrite(line.data(), 1, line.size(), stderr);
  }

  absl::StatusOr<std::unique_ptr<Client>> client =
      ConnectToAgent(options.socket_path);
  absl::StatusOr<AgentFacts> facts =
      client.ok() ? AskAgent(**client) : client.status();
  if (!facts.ok() && !import.dry_run) return Fail(facts.status());
  PlanInput input;
  if (facts.ok()) {
    input.config_path = facts->config_path;
    input.taken = facts->taken;
    Client* agent = client->get();
    input.existing_renders = [agent](const std::string& name,
                                     const Templates& env,
                                     const Templates& headers) {
      return Renders(*agent, name, env, headers);
    };
  } else {
    absl::StatusOr<std::string> path = DefaultConfigPath();
    if (!path.ok()) return Fail(path.status());
    input.config_path = *path;
  }
  absl::StatusOr<std::string> config =
      ReadWholeFile(input.config_path, kMaxConfigBytes);
  if (config.ok()) {
    input.config_text = *std::move(config);
  } else if (!absl::IsNotFound(config.status())) {
    return Fail(config.status());
  }
  size_t scanned = scan.files.size();
  input.files = std::move(scan.files);
  absl::StatusOr<ImportPlan> plan = MakePlan(std::move(input));
  if (!plan.ok()) return Fail(plan.status());

  if (plan->moved_secrets == 0) {
    Print(FormatPlan(*plan, *places));
    Print(absl::StrCat("Nothing to import: no literal secret to move in the ",
                       scanned, scanned == 1 ? " host config" : " host configs",
                       " found.\n"));
    return kExitOk;
  }
  Print(absl::StrCat("mcpcred import: ", plan->moved_secrets,
                     plan->moved_secrets == 1 ? " secret" : " secrets",
                     " to move into the agent (values hidden)\n\n"));
  Print(FormatPlan(*plan, *places));
  Print(
      "Each changed file is first copied to FILE.mcpcred-backup; the copy "
      "holds the old secrets: delete it once the host works.\n");
  if (import.dry_run) {
    if (!facts.ok()) {
      Print(absl::StrCat("The agent does not answer (",
                         facts.status().message(),
                         "): start it before importing.\n"));
    }
    Print("Dry run: nothing was changed.\n");
    return kExitOk;
  }
  if (!import.yes && isatty(STDIN_FILENO) && !Confirm()) {
    Print("Nothing was changed.\n");
    return kExitError;
  }
  absl::StatusOr<std::vector<std::string>> done =
      ApplyPlan(**client, *plan, *places);
  if (!done.ok()) return Fail(done.status());
  std::string report;
  for (const std::string& line : *done) absl::StrAppend(&report, line, "\n");
  Print(report);
  return kExitOk;
}

}  // namespace mcpcred::cli
