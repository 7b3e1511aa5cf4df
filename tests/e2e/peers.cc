#include "tests/e2e/peers.h"

#include <unistd.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "tests/e2e/http_client.h"

namespace mcpcred::testing {
namespace {

// Node's environment: only what it needs, no proxy settings.
Environment NodeEnv() {
  Environment env;
  const char* path = std::getenv("PATH");
  env["PATH"] = path != nullptr ? path : "/usr/bin:/bin";
  if (const char* home = std::getenv("HOME")) env["HOME"] = home;
  env["NODE_NO_WARNINGS"] = "1";
  return env;
}

absl::StatusOr<nlohmann::json> GetJson(const std::string& url) {
  absl::StatusOr<HttpResponse> response = HttpRequest("GET", url);
  if (!response.ok()) return response.status();
  if (response->status != 200) {
    return absl::InternalError(
        absl::StrCat("GET ", url, ": HTTP ", response->status));
  }
  nlohmann::json json = nlohmann::json::parse(response->body, nullptr, false);
  if (json.is_discarded()) {
    return absl::InternalError(absl::StrCat("GET ", url, ": not JSON"));
  }
  return json;
}

}  // namespace

std::string NodeBinary() { return MCPCRED_NODE_BIN; }
std::string PeersDir() { return MCPCRED_E2E_DIR; }

std::string PeersUnavailableReason() {
  if (NodeBinary().empty() || access(NodeBinary().c_str(), X_OK) != 0) {
    return "node was not found at configure time (NODE_EXECUTABLE)";
  }
  std::string package = PeersDir() + "/node_modules/oidc-provider/package.json";
  if (access(package.c_str(), R_OK) != 0) {
    return absl::StrCat(
        "the peers' Node packages are missing: run `npm ci "
        "--prefix ",
        PeersDir(), "`");
  }
  return "";
}

absl::StatusOr<std::unique_ptr<Peers>> Peers::Start(
    const std::vector<std::string>& args, const std::string& log_path) {
  CommandSpec spec;
  spec.argv = {NodeBinary(), PeersDir() + "/peers.mjs"};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.argv.push_back("--exit-on-stdin-eof");
  spec.env = NodeEnv();
  StreamingOptions options;
  options.pipe_stdin = true;
  options.stderr_path = log_path;
  absl::StatusOr<std::unique_ptr<StreamingChild>> child =
      StreamingChild::Start(spec, options);
  if (!child.ok()) return child.status();
  std::unique_ptr<Peers> peers(new Peers());
  peers->child_ = *std::move(child);
  peers->log_path_ = log_path;
  absl::StatusOr<std::string> line = peers->child_->ReadLine(absl::Seconds(60));
  if (!line.ok()) {
    return absl::UnavailableError(
        absl::StrCat("the peers printed no JSON line (",
                     line.status().message(), "); their log:\n", peers->Log()));
  }
  peers->info_ = nlohmann::json::parse(*line, nullptr, false);
  if (!peers->info_.is_object() || !peers->info_.contains("as") ||
      !peers->info_.contains("resource")) {
    return absl::UnavailableError(
        absl::StrCat("the peers' first line is not their JSON: ", *line));
  }
  peers->issuer_ = peers->info_["as"].get<std::string>();
  peers->resource_ = peers->info_["resource"].get<std::string>();
  peers->as_test_ = peers->info_["as_test"].get<std::string>();
  peers->resource_test_ = peers->info_["resource_test"].get<std::string>();
  return peers;
}

Peers::~Peers() { Stop(); }

void Peers::Stop() {
  if (child_ == nullptr) return;
  child_->CloseStdin();
  if (!child_->Finished()) child_->Wait(absl::Seconds(10));  // then killed
}

bool Peers::Running() { return child_ != nullptr && !child_->Finished(); }

absl::StatusOr<nlohmann::json> Peers::AsStats() const {
  return GetJson(as_test_ + "/stats");
}

absl::StatusOr<nlohmann::json> Peers::ResourceStats() const {
  return GetJson(resource_test_ + "/stats");
}

absl::Status Peers::AsControl(const std::string& path_and_query) const {
  std::string url = absl::StrCat(as_test_, "/", path_and_query);
  absl::StatusOr<HttpResponse> response = HttpRequest("POST", url);
  if (!response.ok()) return response.status();
  if (response->status != 200) {
    return absl::InternalError(absl::StrCat(
        "POST ", url, ": HTTP ", response->status, " ", response->body));
  }
  return absl::OkStatus();
}

CommandResult RunBrowser(const std::vector<std::string>& args) {
  CommandSpec spec;
  spec.argv = {NodeBinary(), PeersDir() + "/browser.mjs"};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.env = NodeEnv();
  spec.timeout = absl::Seconds(60);
  return RunCommand(spec);
}

}  // namespace mcpcred::testing
