// The C++ client of mcpcred-agent: finds the socket as the agent does and makes
// one call per RPC, with absl::StatusOr results.
//
// Errors keep the agent's gRPC code and one-line message; when no agent answers
// on the socket the status is UNAVAILABLE and says how to start one.
//
// The client trusts only its own agent: before it sends anything it checks
// that no other user could have put the socket there (every directory of the
// path belongs to root or to you and is writable by no one else; see
// mcpcred/common/safe_path.h) and that the process listening on it runs as
// you (SO_PEERCRED). Otherwise every call fails with PERMISSION_DENIED, e.g.
// "refusing the agent at PATH: it runs as uid N, not as you (uid M)". The
// connection is made at the first call and made again, with the same checks,
// when the agent restarts.
//
// Thread-safe: a Client may be shared between threads.
#ifndef MCPCRED_CLIENT_H_
#define MCPCRED_CLIENT_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "mcpcred/v1/agent.grpc.pb.h"

namespace mcpcred {

struct ClientOptions {
  // Empty: $MCPCRED_SOCK, else $XDG_RUNTIME_DIR/mcpcred/agent.sock.
  std::string socket_path;
  // Deadline of each unary call but GetCredential and ForceRefresh.
  std::chrono::milliseconds timeout{10000};
  // Deadline of GetCredential and ForceRefresh: a credential with
  // `confirm = true` waits for the person's answer (30 s at most by default),
  // and a fetch for its provider (30 s).
  std::chrono::milliseconds credential_timeout{60000};
  // For mcpcred-exec only: the absolute path of the program it will run,
  // sent with every request for a credential, where a credential's
  // "exec:PATH" rule checks it. The agent believes it only from the genuine
  // mcpcred-exec.
  std::string exec_command;
  // Deadline of a whole Login: a person has to act in a browser meanwhile, and
  // device codes usually expire after 15 minutes.
  std::chrono::milliseconds login_timeout{std::chrono::minutes(15)};
};

// Cancels a running streaming call (Client::Login, Client::Watch) from another
// thread (e.g. one that waits for SIGINT). Cancel() before the call starts
// makes it end as soon as it starts, and stays in effect: every later call
// given this canceller ends at once. A canceller serves one call at a time.
//
// Thread-safe.
namespace client_internal {
class AgentChannel;
}  // namespace client_internal

class LoginCanceller {
 public:
  void Cancel();
  bool cancelled() const;

 private:
  friend class Client;
  // Returns false (and does not attach) if Cancel() was already called.
  bool Attach(grpc::ClientContext* context);
  void Detach();

  mutable absl::Mutex mu_;
  grpc::ClientContext* context_ ABSL_GUARDED_BY(mu_) = nullptr;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
};

class Client {
 public:
  // Resolves the socket path; does not connect yet. Returns FAILED_PRECONDITION
  // if no socket path can be found.
  static absl::StatusOr<std::unique_ptr<Client>> Create(
      const ClientOptions& options = {});
  ~Client();

  const std::string& socket_path() const { return socket_path_; }

  absl::StatusOr<v1::Credential> GetCredential(
      const std::string& name,
      std::chrono::seconds min_ttl = std::chrono::seconds(0));
  // After a server rejected the credential value `rejected_version` (its
  // `version`; 0 if unknown): a newer value, refreshed now unless the agent
  // already holds one. FAILED_PRECONDITION when the provider cannot refresh.
  absl::StatusOr<v1::Credential> ForceRefresh(const std::string& name,
                                              uint64_t rejected_version);
  absl::StatusOr<v1::ListCredentialsResponse> ListCredentials();
  absl::StatusOr<v1::GetSecretKeysResponse> GetSecretKeys();
  absl::StatusOr<v1::RedactResponse> Redact(const std::string& text);
  // Redacts a stream of any size: `next_chunk` fills its argument with the
  // next piece of input (at most 1 MiB) and returns false at the end;
  // `on_output` gets the redacted text as it comes. Returns the number of
  // replacements.
  absl::StatusOr<uint64_t> RedactStream(
      const std::function<bool(std::string*)>& next_chunk,
      const std::function<void(const std::string&)>& on_output);
  // Every value the agent masks, for a relay that masks by itself.
  absl::StatusOr<v1::GetRedactionValuesResponse> GetRedactionValues();
  // Reports a relay's masking counts for the audit log.
  absl::Status ReportRedactions(const v1::ReportRedactionsRequest& request);
  absl::StatusOr<v1::ReloadResponse> Reload();
  absl::StatusOr<v1::AgentStatus> GetStatus();
  absl::Status Logout(const std::string& name);
  // Stores `value` as the secret `name` in the agent's secret store, where
  // `secret = "keyring:NAME"` finds it. The response names the store.
  absl::StatusOr<v1::AddSecretResponse> AddSecret(const std::string& name,
                                                  std::string_view value);
  // Deletes it; OK when there was none.
  absl::StatusOr<v1::RemoveSecretResponse> RemoveSecret(
      const std::string& name);
  // Locks the agent with `passphrase` (`mcpcred lock`); Unlock unlocks it,
  // PERMISSION_DENIED for a wrong passphrase. The request's copy of the
  // passphrase is wiped once sent.
  absl::Status Lock(std::string_view passphrase);
  absl::Status Unlock(std::string_view passphrase);
  // Streams login events to `on_event` until the login ends. Returns OK when
  // the login completed, CANCELLED if `canceller` (optional) cancelled it.
  absl::Status Login(const v1::LoginRequest& request,
                     const std::function<void(const v1::LoginEvent&)>& on_event,
                     LoginCanceller* canceller = nullptr);
  // Streams the named credentials' events (none named: all) to `on_event`
  // until the stream ends, which it does only on an error: the agent stopped
  // (UNAVAILABLE), a named credential does not exist (NOT_FOUND), or
  // `canceller` cancelled it (CANCELLED). `on_event` runs on the calling
  // thread.
  absl::Status Watch(
      const std::vector<std::string>& names,
      const std::function<void(const v1::CredentialEvent&)>& on_event,
      LoginCanceller* canceller = nullptr);

 private:
  // One unary call with the client's deadline (`timeout`, 0: timeout_).
  template <typename Response, typename Request>
  absl::StatusOr<Response> Unary(
      grpc::Status (v1::Agent::Stub::*method)(grpc::ClientContext*,
                                              const Request&, Response*),
      const Request& request,
      std::chrono::milliseconds timeout = std::chrono::milliseconds(0));
  template <typename Event, typename Open>
  absl::Status ReadStream(std::chrono::milliseconds timeout, Open open,
                          const std::function<void(const Event&)>& on_event,
                          LoginCanceller* canceller);

  Client(std::string socket_path, const ClientOptions& options);

  std::string socket_path_;
  std::chrono::milliseconds timeout_;
  std::chrono::milliseconds login_timeout_;
  std::chrono::milliseconds credential_timeout_;
  std::string exec_command_;
  std::unique_ptr<client_internal::AgentChannel> channel_;
};

// True if `status` means no agent answered on the socket.
bool IsAgentUnreachable(const absl::Status& status);

}  // namespace mcpcred

#endif  // MCPCRED_CLIENT_H_
