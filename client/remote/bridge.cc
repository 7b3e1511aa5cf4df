#include "bridge.h"

#include <signal.h>

#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "authorized_sender.h"
#include "credential_source.h"
#include "curl_http.h"
#include "diagnostics.h"
#include "host_message.h"
#include "host_output.h"
#include "line_reader.h"
#include "masker.h"
#include "mcpcred/client.h"
#include "mcpcred/credential_cache.h"
#include "redaction_reporter.h"
#include "remote_session.h"
#include "step_up.h"
#include "tool_util.h"
#include "worker_pool.h"

namespace mcpcred::remote {
namespace {

// How long running exchanges may go on after the host closed stdin.
constexpr absl::Duration kDrainLimit = absl::Seconds(5);

// The reader a termination signal wakes, so that the bridge ends in order
// (the session is DELETEd) when the host stops it with a signal.
std::atomic<LineReader*> interrupt_target{nullptr};

void OnTerminate(int) {
  // Interrupt() only write()s: async-signal-safe.
  if (LineReader* reader = interrupt_target.load()) reader->Interrupt();
}

void HandleTerminationSignals(LineReader* reader) {
  interrupt_target.store(reader);
  struct sigaction action = {};
  action.sa_handler = OnTerminate;
  sigemptyset(&action.sa_mask);
  for (int signal : {SIGTERM, SIGINT, SIGHUP})
    sigaction(signal, &action, nullptr);
}

// The server URL without its query and fragment, for the audit log.
std::string Source(const RemoteArgs& args) {
  std::string url = args.url.substr(0, args.url.find_first_of("?#"));
  return absl::StrCat("mcpcred-remote ", args.name, " ", url);
}

}  // namespace

int RunBridge(const RemoteArgs& args, int host_in, int host_out) {
  absl::StatusOr<std::unique_ptr<Client>> client =
      ConnectToAgent(args.socket_path);
  if (!client.ok()) {
    Say(client.status().message());
    return ExitCodeFor(client.status());
  }
  CredentialCacheOptions cache_options;
  cache_options.client.socket_path = (*client)->socket_path();
  cache_options.names = {args.name};
  absl::StatusOr<std::unique_ptr<CredentialCache>> cache =
      CredentialCache::Create(cache_options);
  if (!cache.ok()) {
    Say(cache.status().message());
    return ExitCodeFor(cache.status());
  }
  CacheCredentialSource credentials(*std::move(cache), args.name);

  Masker masker;
  HostOutput host(host_out, &masker);
  std::atomic<bool> said_values{false};
  auto on_credential = [&](const CredentialPtr& credential) {
    if (!masker.AddCredential(*credential)) return;
    // A new value: the agent's list has changed too.
    absl::StatusOr<v1::GetRedactionValuesResponse> values =
        (*client)->GetRedactionValues();
    if (values.ok()) {
      masker.SetAgentValues(*values);
    } else if (!said_values.exchange(true)) {
      Say(absl::StrCat("masking only ", args.name,
                       "'s own values: ", values.status().message()));
    }
  };
  CurlHttp http;
  AgentReauthorizer reauthorizer(client->get(), args.name, args.open_browser);
  AuthorizedSender sender(&http, &credentials, &reauthorizer, on_credential);
  RedactionReporter reporter(client->get(), &masker, Source(args));

  LineReader input(host_in);
  HandleTerminationSignals(&input);
  RemoteOptions options;
  options.url = args.url;
  options.on_ended = [&input] { input.Interrupt(); };
  RemoteSession session(options, &sender, &host);
  {
    WorkerPool pool;
    while (std::optional<std::string> line = input.Next()) {
      if (line->find_first_not_of(" \t") == std::string::npos) continue;
      absl::StatusOr<HostMessage> message = ParseHostMessage(*std::move(line));
      if (!message.ok()) {
        Say(message.status().message());
        host.SendError(nullptr, kErrorParse,
                       std::string(message.status().message()));
        continue;
      }
      pool.Submit([&session, message = *std::move(message)] {
        session.Relay(message);
      });
    }
    if (!pool.WaitIdle(kDrainLimit)) session.CancelRequests();
    pool.Join();
  }
  session.Close();
  reporter.Stop();
  interrupt_target.store(nullptr);
  return kExitOk;
}

}  // namespace mcpcred::remote
