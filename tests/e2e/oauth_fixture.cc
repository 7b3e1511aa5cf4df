#include "tests/e2e/oauth_fixture.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "tests/e2e/http_client.h"
#include "tests/e2e/streaming_child.h"

namespace mcpcred::testing {
namespace {

// Safety bounds, never assertions.
constexpr absl::Duration kLoginLimit = absl::Seconds(120);
constexpr absl::Duration kEventLimit = absl::Seconds(60);

std::string EventName(const nlohmann::json& event) {
  return event.is_object() ? event.value("event", "") : "";
}

}  // namespace

std::string LoginRun::FirstEvent() const {
  return events.empty() ? "" : EventName(events.front());
}

std::string LoginRun::LastEvent() const {
  return events.empty() ? "" : EventName(events.back());
}

std::string LoginRun::ErrorMessage() const {
  for (const nlohmann::json& event : events) {
    if (EventName(event) == "error") return event.value("message", "");
  }
  return "";
}

void OAuthTest::SetUp() {
  AgentTest::SetUp();
  std::string missing = PeersUnavailableReason();
  if (!missing.empty()) GTEST_SKIP() << missing;
}

void OAuthTest::TearDown() {
  for (AgentProcess* agent : oauth_agents_) {
    if (agent->Running()) {
      absl::StatusOr<int> exit_code = agent->Stop();
      EXPECT_TRUE(exit_code.ok() && *exit_code == 0)
          << "agent pid " << agent->pid() << " did not stop cleanly: "
          << (exit_code.ok() ? absl::StrCat("exit ", *exit_code)
                             : exit_code.status().ToString());
    }
    std::string log = agent->Log();
    for (const std::string& token : tokens_) {
      EXPECT_FALSE(absl::StrContains(log, token))
          << "a served access token leaked into the agent's log "
          << agent->log_path();
    }
    if (HasFailure()) {
      std::printf("--- agent log %s:\n%s\n", agent->log_path().c_str(),
                  HideTokens(Hide(log)).c_str());
    }
  }
  for (const std::string& err : cli_stderr_) {
    for (const std::string& token : tokens_) {
      EXPECT_FALSE(absl::StrContains(err, token))
          << "a served access token leaked into mcpcred's stderr";
    }
  }
  if (peers_ != nullptr) {
    std::string log = peers_->Log();
    for (const std::string& token : tokens_) {
      EXPECT_FALSE(absl::StrContains(log, token))
          << "an access token appears in the peers' log";
    }
    if (HasFailure()) {
      // The tail only: oidc-provider is talkative.
      size_t from = log.size() > 6000 ? log.size() - 6000 : 0;
      std::printf("--- peers log (tail):\n%s\n", log.substr(from).c_str());
    }
    peers_->Stop();
    peers_.reset();
  }
  oauth_agents_.clear();
  AgentTest::TearDown();
}

Peers* OAuthTest::StartPeers(std::vector<std::string> args) {
  if (std::find(args.begin(), args.end(), "--device-interval") == args.end()) {
    args.insert(args.end(), {"--device-interval", "1"});
  }
  peers_.reset();
  absl::StatusOr<std::unique_ptr<Peers>> started =
      Peers::Start(args, log_path("peers.log"));
  if (!started.ok()) {
    ADD_FAILURE() << "cannot start the peers: " << started.status();
    return nullptr;
  }
  peers_ = *std::move(started);
  return peers_.get();
}

std::string OAuthTest::OAuthToml(const std::string& name,
                                 const std::string& extra) const {
  return absl::StrCat("[credential.", name,
                      "]\n"
                      "provider = \"oauth2\"\n"
                      "resource = \"",
                      peers_->resource(),
                      "\"\n"
                      "scopes = [\"mcp:read\", \"offline_access\"]\n"
                      "headers = { Authorization = \"Bearer {access_token}\" "
                      "}\n",
                      extra, extra.empty() || extra.back() == '\n' ? "" : "\n",
                      "\n");
}

void OAuthTest::WriteOAuthConfig(const std::string& credentials,
                                 const std::string& backend) {
  WriteConfig(absl::StrCat("[store]\nbackend = \"", backend, "\"\n\n",
                           StaticCredentialToml("static"), "\n", credentials));
}

AgentProcess* OAuthTest::StartOAuthAgent(const Environment& env_overrides) {
  AgentProcess* agent = StartAgent({}, env_overrides);
  if (agent != nullptr) oauth_agents_.push_back(agent);
  return agent;
}

LoginRun OAuthTest::Login(const std::string& name,
                          const std::vector<std::string>& extra,
                          const UserAction& act) {
  LoginRun run;
  std::vector<std::string> args = {"login", name, "--json", "--no-browser"};
  args.insert(args.end(), extra.begin(), extra.end());
  absl::StatusOr<std::unique_ptr<StreamingChild>> child =
      StreamingChild::Start(CliSpec(args));
  if (!child.ok()) {
    ADD_FAILURE() << "cannot start mcpcred login: " << child.status();
    run.result.exit_code = 127;
    return run;
  }
  auto read_event = [&](absl::Duration limit) -> bool {
    absl::StatusOr<std::string> line = (*child)->ReadLine(limit);
    if (!line.ok()) return false;
    nlohmann::json event = nlohmann::json::parse(*line, nullptr, false);
    if (event.is_discarded()) {
      ADD_FAILURE() << "mcpcred login --json printed a line that is not JSON: "
                    << HideTokens(*line);
      event = nlohmann::json{{"event", "<not json>"}, {"line", *line}};
    }
    run.events.push_back(std::move(event));
    return true;
  };
  if (read_event(kEventLimit) && act) {
    const std::string kind = EventName(run.events.front());
    if (kind == "open_url" || kind == "device_code") {
      run.browser = act(run.events.front());
    }
  }
  while (!run.events.empty() && run.LastEvent() != "done" &&
         run.LastEvent() != "error" && read_event(kLoginLimit)) {
  }
  run.result = (*child)->Wait(kLoginLimit);
  cli_stderr_.push_back(run.result.err);
  EXPECT_FALSE(ContainsSecret(run.result.err))
      << "a secret leaked into mcpcred login's stderr";
  return run;
}

OAuthTest::UserAction OAuthTest::Browser(
    std::vector<std::string> browser_args) {
  return [browser_args](const nlohmann::json& event) -> std::string {
    std::vector<std::string> args;
    if (EventName(event) == "open_url") {
      args = {"authorize", event.value("url", "")};
    } else {
      args = {"device", event.value("verification_uri_complete", "")};
    }
    args.insert(args.end(), browser_args.begin(), browser_args.end());
    CommandResult browser = RunBrowser(args);
    return absl::StrCat("browser ", absl::StrJoin(browser_args, " "), ": ",
                        browser.Outcome(), "\n", browser.out, browser.err);
  };
}

bool OAuthTest::LoginOk(const std::string& name,
                        const std::vector<std::string>& extra) {
  LoginRun run = Login(name, extra, Browser());
  bool ok =
      run.result.exit_code == 0 && run.events.size() == 2 &&
      (run.FirstEvent() == "open_url" || run.FirstEvent() == "device_code") &&
      run.LastEvent() == "done";
  EXPECT_TRUE(ok) << "login " << name << " failed:\n" << ShowLogin(run);
  return ok;
}

CommandResult OAuthTest::Token(const std::string& name) {
  CommandResult result = Cli({"token", name});
  cli_stderr_.push_back(result.err);
  if (result.exit_code == 0) {
    NoteToken(std::string(absl::StripTrailingAsciiWhitespace(result.out)));
  }
  return result;
}

std::string OAuthTest::TokenOrFail(const std::string& name) {
  CommandResult result = Token(name);
  if (result.exit_code != 0) {
    ADD_FAILURE() << "mcpcred token " << name
                  << " failed: " << ShowResult(result);
    return "";
  }
  return std::string(absl::StripTrailingAsciiWhitespace(result.out));
}

long OAuthTest::ResourceStatus(const std::string& token) {
  absl::StatusOr<HttpResponse> response =
      GetWithBearer(peers_->resource(), token);
  if (!response.ok()) {
    ADD_FAILURE() << "the resource did not answer: " << response.status();
    return 0;
  }
  return response->status;
}

void OAuthTest::ExpectStaticServed() {
  CommandResult headers = Cli({"headers", "static"});
  EXPECT_EQ(headers.exit_code, 0) << Show(headers);
  EXPECT_TRUE(
      absl::StrContains(headers.out, "Authorization: Bearer " + secret()))
      << "the static credential is not served as before: " << Show(headers);
}

void OAuthTest::NoteToken(const std::string& token) {
  // Short strings would match anywhere; real tokens are long.
  if (token.size() >= 16) tokens_.insert(token);
}

std::string OAuthTest::HideTokens(const std::string& text) const {
  std::string hidden = text;
  for (const std::string& token : tokens_) {
    hidden = absl::StrReplaceAll(hidden, {{token, "<token>"}});
  }
  return hidden;
}

std::string OAuthTest::ShowResult(const CommandResult& result) const {
  return HideTokens(Show(result));
}

std::string OAuthTest::ShowLogin(const LoginRun& run) const {
  std::string events;
  for (const nlohmann::json& event : run.events) {
    absl::StrAppend(&events, "  ", event.dump(), "\n");
  }
  return HideTokens(Hide(absl::StrCat(run.result.Outcome(), "\n--- events:\n",
                                      events, "--- stderr:\n", run.result.err,
                                      "--- browser:\n", run.browser)));
}

nlohmann::json OAuthTest::AsStats() {
  absl::StatusOr<nlohmann::json> stats = peers_->AsStats();
  if (!stats.ok()) {
    ADD_FAILURE() << "no stats from the authorization server: "
                  << stats.status();
    return nlohmann::json::object();
  }
  return *std::move(stats);
}

int OAuthTest::RefreshGrants(const nlohmann::json& stats) {
  return stats.value("refresh_tokens_used", 0);
}

int OAuthTest::RefreshRequests(const nlohmann::json& stats) {
  if (!stats.contains("token_requests")) return 0;
  return stats["token_requests"].value("refresh_token", 0);
}

int OAuthTest::ReuseAttempts(const nlohmann::json& stats) {
  if (!stats.contains("refresh_reuse_attempts")) return 0;
  return static_cast<int>(stats["refresh_reuse_attempts"].size());
}

bool OAuthTest::PollUntil(const std::function<bool()>& done,
                          absl::Duration limit, absl::Duration every) {
  absl::Time deadline = absl::Now() + limit;
  while (true) {
    if (done()) return true;
    if (absl::Now() > deadline) return false;
    absl::SleepFor(every);
  }
}

}  // namespace mcpcred::testing
