// What the relay learns from the agent while its server runs, off the event
// loop's thread: the credentials' new values (the WatchCredentials stream,
// reconnected with backoff when the agent restarts), the values the agent
// masks (GetRedactionValues, asked again whenever the stream reports a
// change), fresh values on request (GetCredential with a minimum lifetime),
// and masking counts for the audit log (ReportRedactions). Each change is
// announced by writing to an eventfd the loop polls.
//
// Thread-safe.
#ifndef MCPCRED_CLIENT_EXEC_RELAY_CREDENTIAL_FEED_H_
#define MCPCRED_CLIENT_EXEC_RELAY_CREDENTIAL_FEED_H_

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "mcpcred/client.h"

namespace mcpcred::exec::relay {

class CredentialFeed {
 public:
  struct Update {
    // Credentials newer than the last Take(), with the time each arrived.
    std::map<std::string, std::pair<v1::Credential, absl::Time>> credentials;
    // The agent's masked values, when they were fetched again.
    std::shared_ptr<const v1::GetRedactionValuesResponse> redaction;
    // Why a fetch or the stream failed (one line each, never a value).
    std::vector<std::string> problems;
  };

  // Starts watching `names`. `wake_fd` (an eventfd) is written on each
  // change. `redaction_values`: keep the agent's masked values too.
  CredentialFeed(std::unique_ptr<Client> client, std::vector<std::string> names,
                 int wake_fd, bool redaction_values);
  // Stops the stream and joins the threads (a call in flight is waited for).
  ~CredentialFeed();

  CredentialFeed(const CredentialFeed&) = delete;
  CredentialFeed& operator=(const CredentialFeed&) = delete;

  // What changed since the last call.
  Update Take();
  // Asks for a value of `name` that stays valid `min_ttl` from now.
  void RequestFresh(const std::string& name, std::chrono::seconds min_ttl);
  // Sends masking counts to the audit log.
  void Report(std::string source, std::map<std::string, uint64_t> counts);
  // Runs queued calls (a last Report) before returning, up to `limit`.
  void Flush(absl::Duration limit);

 private:
  void Watch();
  void Work();
  void Post(std::function<void()> task);
  void Keep(const v1::Credential& credential);
  void Problem(std::string line);
  void Wake();

  const std::unique_ptr<Client> client_;
  const std::vector<std::string> names_;
  const int wake_fd_;
  const bool redaction_values_;
  LoginCanceller canceller_;

  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::map<std::string, uint64_t> versions_ ABSL_GUARDED_BY(mu_);
  Update pending_ ABSL_GUARDED_BY(mu_);
  std::deque<std::function<void()>> tasks_ ABSL_GUARDED_BY(mu_);
  bool redaction_queued_ ABSL_GUARDED_BY(mu_) = false;
  int busy_ ABSL_GUARDED_BY(mu_) = 0;

  std::thread worker_;
  std::thread watcher_;
};

}  // namespace mcpcred::exec::relay

#endif  // MCPCRED_CLIENT_EXEC_RELAY_CREDENTIAL_FEED_H_
