// The WatchCredentials stream of one client: a SNAPSHOT of each watched
// credential, SYNCED, then an event for every change the broker reports.
//
// The stream never holds more than one pending event per credential: a change
// only marks the credential, and the event is built from the broker's state
// when it is written. A client that reads slowly therefore gets the latest
// state, never a backlog, and never slows the broker (marking is O(log n)
// under this stream's own lock).
#ifndef MCPCRED_AGENT_SERVICE_WATCH_REACTOR_H_
#define MCPCRED_AGENT_SERVICE_WATCH_REACTOR_H_

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "agent/broker/broker.h"
#include "agent/policy/access_gate.h"
#include "agent/policy/audit_log.h"
#include "agent/policy/peer_table.h"
#include "agent/util/clock.h"
#include "mcpcred/v1/agent.pb.h"

namespace mcpcred {

class WatchHub;

// What every stream shares; all pointers outlive the streams (`audit` and
// `gate` may be null).
struct WatchContext {
  Broker* broker = nullptr;
  WatchHub* hub = nullptr;
  AuditLog* audit = nullptr;
  const PeerTable* peers = nullptr;
  const Clock* clock = nullptr;
  std::atomic<uint64_t>* served = nullptr;
  // The credentials this stream may see (null: all); the others are as if
  // they did not exist (the forwarding socket's `forward = false`).
  std::function<bool(const std::string&)> visible;
  AccessGate* gate = nullptr;
};

// Thread-safe. Deletes itself when gRPC is done with the call.
class WatchReactor final
    : public grpc::ServerWriteReactor<v1::CredentialEvent> {
 public:
  // Starts the stream: INVALID_ARGUMENT at once for a malformed request,
  // NOT_FOUND if a named credential does not exist, UNAVAILABLE if the agent is
  // stopping. Named credentials that are not fetched yet are fetched, so that
  // their value follows the snapshot.
  WatchReactor(const WatchContext& context, std::string peer,
               const v1::WatchCredentialsRequest& request);

  // Called by the hub.
  void OnChange(const std::string& name, CredentialChange change);
  // Ends the stream with UNAVAILABLE (the agent is stopping).
  void End();

  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  bool Wants(const std::string& name) const;
  void MarkLocked(const std::string& name, v1::CredentialEvent::Kind kind)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Writes the next marked event, or finishes when asked to and idle.
  void WriteNextLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void BuildLocked(const std::string& name, v1::CredentialEvent::Kind kind)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void FinishLocked(const grpc::Status& status)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const WatchContext context_;
  const std::string peer_;
  const CallerClaim claim_;
  const std::set<std::string> names_;  // empty: all
  bool registered_ = false;            // with the hub; set before any call

  absl::Mutex mu_;
  // Credentials with an event to write, oldest first; "" is SYNCED.
  std::deque<std::string> order_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, v1::CredentialEvent::Kind> kinds_ ABSL_GUARDED_BY(mu_);
  v1::CredentialEvent event_ ABSL_GUARDED_BY(mu_);
  // Set once the snapshot is queued: changes seen before wait for it.
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<grpc::Status> finish_ ABSL_GUARDED_BY(mu_);
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_SERVICE_WATCH_REACTOR_H_
