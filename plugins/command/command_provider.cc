// The "command" provider: runs a program and serves the token it prints, as
// kubectl exec credential plugins and AWS credential_process do, so that any
// language can supply tokens.
//
//   [credential.vault-db]
//   provider = "command"
//   command = ["/usr/local/bin/get-token", "--audience", "mcp"]
//   timeout_seconds = 10
//   env = { DB_TOKEN = "{access_token}" }
//
// The program runs without a shell, with stdin on /dev/null and an environment
// stripped of the agent's own variables, on every fetch; the broker caches
// the result until the expiry the program printed (or until reload if none).
#include <signal.h>
#include <string.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "mcpcred/provider.h"
#include "nlohmann/json.hpp"
#include "plugins/command/command_config.h"
#include "plugins/command/subprocess.h"
#include "plugins/command/token_output.h"
#include "plugins/sdk/host.h"
#include "plugins/sdk/status.h"

extern char** environ;

namespace mcpcred::command {
namespace {

using ::mcpcred::plugin::CodeFor;
using ::mcpcred::plugin::Fail;
using ::mcpcred::plugin::SetError;

constexpr size_t kMaxStdout = 64 * 1024;
constexpr size_t kMaxStderrLine = 200;
// PATH as execvp() assumes it when the agent has none.
constexpr char kDefaultPath[] = "/usr/local/bin:/usr/bin:/bin";
// OAuth's usual type, so "{token_type} {access_token}" works for commands
// that print only a token.
constexpr char kDefaultTokenType[] = "Bearer";

struct CommandInstance {
  mcpcred_host_ctx* host = nullptr;
  CommandConfig config;
};

const mcpcred_field kFields[] = {
    {"command", MCPCRED_FIELD_STRING_ARRAY, 1,
     "the program and its arguments, run without a shell; the program is an "
     "absolute path, \"~/...\" or a name found in PATH"},
    {"timeout_seconds", MCPCRED_FIELD_INTEGER, 0,
     "seconds the command may run before it is killed (1 to 300, default 10)"},
    {"working_directory", MCPCRED_FIELD_STRING, 0,
     "absolute directory to run the command in (default: the agent's)"},
};
const char* const kVariables[] = {"access_token", "token_type"};

const mcpcred_provider_info kInfo = {
    sizeof(mcpcred_provider_info),
    "command",
    "runs a program that prints {\"access_token\": ...} as JSON and caches "
    "the token until the expiry it prints",
    kFields,
    sizeof(kFields) / sizeof(kFields[0]),
    kVariables,
    sizeof(kVariables) / sizeof(kVariables[0]),
    MCPCRED_PROVIDER_EXPIRES,
};

// Variables that belong to the agent: the program must not find the agent's
// socket (it could ask for other credentials in the agent's name) nor take
// over systemd's socket activation or notification meant for the agent.
bool IsAgentVariable(absl::string_view name) {
  return absl::StartsWith(name, "MCPCRED_") || name == "LISTEN_FDS" ||
         name == "LISTEN_PID" || name == "LISTEN_FDNAMES" ||
         name == "NOTIFY_SOCKET";
}

std::vector<std::string> ChildEnvironment() {
  std::vector<std::string> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    absl::string_view pair(*entry);
    size_t eq = pair.find('=');
    if (eq == absl::string_view::npos) continue;
    if (IsAgentVariable(pair.substr(0, eq))) continue;
    env.emplace_back(pair);
  }
  return env;
}

// ": <first non-blank line>", made safe for a one-line error: control
// characters (terminal escapes included) become spaces, and it is cut at a
// UTF-8 character boundary.
std::string StderrSuffix(const std::string& err) {
  for (absl::string_view line : absl::StrSplit(err, '\n')) {
    std::string clean(absl::StripAsciiWhitespace(line));
    if (clean.empty()) continue;
    for (char& c : clean) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
    }
    if (clean.size() > kMaxStderrLine) {
      size_t cut = kMaxStderrLine;
      while (cut > 0 && (static_cast<unsigned char>(clean[cut]) & 0xC0) == 0x80)
        --cut;
      clean = absl::StrCat(clean.substr(0, cut), "...");
    }
    return absl::StrCat(": ", clean);
  }
  return "";
}

std::string SignalName(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  return abbrev != nullptr ? absl::StrCat("SIG", abbrev) : absl::StrCat(sig);
}

// Turns how the program ended into one line; OK when it exited with 0.
absl::Status DescribeEnd(const CommandConfig& config,
                         const SubprocessResult& run) {
  const std::string name = absl::StrCat("command \"", config.argv[0], "\"");
  switch (run.end) {
    case SubprocessResult::End::kTimedOut:
      return absl::UnavailableError(absl::StrCat(
          name, " timed out after ", absl::ToInt64Seconds(config.timeout),
          " s and was killed"));
    case SubprocessResult::End::kOutputTooLarge:
      return absl::UnavailableError(absl::StrCat(name, " printed more than ",
                                                 kMaxStdout / 1024,
                                                 " KiB and was stopped"));
    case SubprocessResult::End::kSignaled:
      return absl::UnavailableError(absl::StrCat(name, " was killed by signal ",
                                                 SignalName(run.term_signal),
                                                 StderrSuffix(run.err)));
    case SubprocessResult::End::kExited:
      if (run.exit_status == 0) return absl::OkStatus();
      return absl::UnavailableError(absl::StrCat(name, " exited with status ",
                                                 run.exit_status,
                                                 StderrSuffix(run.err)));
  }
  return absl::InternalError(absl::StrCat(name, " ended in an unknown way"));
}

const mcpcred_provider_info* Info() { return &kInfo; }

int32_t Create(mcpcred_host_ctx* host, const char* credential_name,
               const char* config_json, void** instance, mcpcred_error* error) {
  nlohmann::json config = nlohmann::json::parse(config_json, nullptr, false);
  const char* path = std::getenv("PATH");
  std::string key;
  absl::StatusOr<CommandConfig> parsed = ParseCommandConfig(
      config, path != nullptr ? path : kDefaultPath, HomeDirectory(), &key);
  if (!parsed.ok()) return Fail(error, parsed.status(), key);
  auto self = std::make_unique<CommandInstance>();
  self->host = host;
  self->config = *std::move(parsed);
  *instance = self.release();
  return MCPCRED_OK;
}

void Destroy(void* instance) { delete static_cast<CommandInstance*>(instance); }

int32_t Fetch(void* instance, mcpcred_token_sink* sink, mcpcred_error* error) {
  auto* self = static_cast<CommandInstance*>(instance);
  const CommandConfig& config = self->config;
  // posix_spawn reports a failed chdir as the program's ENOENT: look first,
  // so the message blames the right path.
  if (!config.working_directory.empty()) {
    absl::Status dir = CheckDirectory(config.working_directory);
    if (!dir.ok()) return Fail(error, dir);
  }
  SubprocessOptions options;
  options.argv = config.argv;
  options.env = ChildEnvironment();
  options.working_directory = config.working_directory;
  options.timeout = config.timeout;
  options.max_stdout = kMaxStdout;
  absl::StatusOr<SubprocessResult> run = RunSubprocess(options);
  if (!run.ok()) return Fail(error, run.status());

  absl::Status ended = DescribeEnd(config, *run);
  if (!ended.ok()) {
    WipeString(&run->out);
    return Fail(error, ended);
  }
  const mcpcred::plugin::Host& h = mcpcred::plugin::host();
  const int64_t now_ms = h.now_ms(self->host);
  absl::StatusOr<CommandToken> token = ParseTokenOutput(run->out, now_ms);
  WipeString(&run->out);
  if (!token.ok()) {
    return SetError(error, CodeFor(token.status()),
                    absl::StrCat("command \"", config.argv[0], "\" ",
                                 token.status().message()));
  }
  // access_token first: the host takes the first variable as the primary
  // token.
  int32_t rc = mcpcred::plugin::SetVariable(sink, "access_token",
                                            token->access_token.view());
  if (rc == MCPCRED_OK) {
    rc = mcpcred::plugin::SetVariable(
        sink, "token_type",
        token->token_type.empty() ? kDefaultTokenType : token->token_type);
  }
  if (rc != MCPCRED_OK) {
    return SetError(error, rc, "the agent refused the command's token");
  }
  if (token->expires_at_ms.has_value()) {
    h.token_set_expiry(sink, *token->expires_at_ms);
    if (*token->expires_at_ms <= now_ms) {
      mcpcred::plugin::Log(
          self->host, MCPCRED_LOG_WARNING,
          absl::StrCat("command \"", config.argv[0],
                       "\" printed a token that has already expired; it "
                       "will run again on the next request"));
    }
  }
  return MCPCRED_OK;
}

// The agent stops: its commands (and what they started) go with it.
void Stop() { StopAllSubprocesses(); }

const mcpcred_dispatch kDispatch[] = {
    MCPCRED_SDK_ENTRY(prov_info, &Info),
    MCPCRED_SDK_ENTRY(prov_create, &Create),
    MCPCRED_SDK_ENTRY(prov_destroy, &Destroy),
    MCPCRED_SDK_ENTRY(prov_fetch, &Fetch),
    MCPCRED_SDK_ENTRY(prov_stop, &Stop),
    MCPCRED_DISPATCH_END,
};

}  // namespace
}  // namespace mcpcred::command

MCPCRED_DEFINE_PROVIDER_ENTRY(mcpcred::command::kDispatch)
