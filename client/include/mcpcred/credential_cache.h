// An in-process copy of credentials, kept fresh by the agent's Watch stream,
// for hosts that need a credential on every request (HTTP headers of an MCP
// client). Get() answers from memory while the stream is up; the agent pushes
// every refresh, rotation, login and logout, so a held value is never older
// than the agent's.
//
// While the stream is down (the agent restarts, or is not running yet) Get()
// asks the agent directly and the stream reconnects in the background with
// exponential backoff and jitter. A held value is never served past its
// expiry.
//
// Thread-safe: Get() may be called from any number of threads.
#ifndef MCPCRED_CREDENTIAL_CACHE_H_
#define MCPCRED_CREDENTIAL_CACHE_H_

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "mcpcred/client.h"

namespace mcpcred {

struct CredentialCacheOptions {
  ClientOptions client;
  // Credentials to keep; empty keeps every configured one.
  std::vector<std::string> names;
  // Reconnect backoff: the first wait, doubled per failure up to the maximum,
  // each with up to 50% jitter.
  std::chrono::milliseconds min_backoff{100};
  std::chrono::milliseconds max_backoff{5000};
};

class CredentialCache {
 public:
  // Starts watching in a background thread; does not wait for the agent.
  // FAILED_PRECONDITION if no socket path can be found.
  static absl::StatusOr<std::unique_ptr<CredentialCache>> Create(
      CredentialCacheOptions options = {});
  // Stops the stream and joins its thread.
  ~CredentialCache();

  CredentialCache(const CredentialCache&) = delete;
  CredentialCache& operator=(const CredentialCache&) = delete;

  // The credential: from memory when the stream is up and holds an unexpired
  // value, else from the agent (the answer is kept). Errors keep the agent's
  // kind and message: FAILED_PRECONDITION when a login is needed (known from
  // memory after a logout), NOT_FOUND, UNAVAILABLE when no agent answers and
  // no unexpired value is held.
  absl::StatusOr<std::shared_ptr<const v1::Credential>> Get(
      const std::string& name);
  // For a host whose server rejected the held value (HTTP 401): asks the
  // agent for a newer one (a forced refresh that every host reporting the
  // same value shares) and keeps it.
  absl::StatusOr<std::shared_ptr<const v1::Credential>> Refresh(
      const std::string& name);

  // True while the stream is up and its snapshot has arrived.
  bool synced() const;
  // Events applied so far, and stream connections made (for tests).
  uint64_t events() const;
  uint64_t connections() const;
  // Blocks until synced() or `timeout` passes; returns synced().
  bool WaitSynced(absl::Duration timeout) const;

 private:
  struct Entry {
    std::shared_ptr<const v1::Credential> credential;  // null: see `error`
    absl::Time expires = absl::InfiniteFuture();
    absl::Status error;  // why there is none; OK: not fetched yet
  };

  CredentialCache(std::unique_ptr<Client> client,
                  CredentialCacheOptions options);
  void Run();
  void Apply(const v1::CredentialEvent& event);
  // Keeps an answer from the agent unless the stream brought a newer one.
  std::shared_ptr<const v1::Credential> Keep(v1::Credential credential);

  const std::unique_ptr<Client> client_;
  const CredentialCacheOptions options_;
  LoginCanceller canceller_;

  mutable absl::Mutex mu_;
  std::map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
  bool synced_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t events_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t connections_ ABSL_GUARDED_BY(mu_) = 0;

  std::thread thread_;  // started last, joined first
};

}  // namespace mcpcred

#endif  // MCPCRED_CREDENTIAL_CACHE_H_
