// Decides whether the caller behind a connection may have a credential: the
// credential's `allow` rules (caller_rules.h) against the caller's identity
// (caller_table.h), then, with `confirm = true`, the person's answer
// (confirm.h). A credential without rules costs one map lookup and reads
// nothing from /proc.
//
// Thread-safe.
#ifndef MCPCRED_AGENT_POLICY_ACCESS_GATE_H_
#define MCPCRED_AGENT_POLICY_ACCESS_GATE_H_

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "agent/config/caller_policy.h"
#include "agent/policy/caller_rules.h"
#include "agent/policy/caller_table.h"
#include "agent/policy/confirm.h"

namespace mcpcred {

// OK or PERMISSION_DENIED (UNAVAILABLE while the agent stops), and what the
// policy decided for the audit log ("" when the credential has no rules).
using AccessDone =
    std::function<void(absl::Status status, const std::string& policy)>;

// The policy decision of CheckQuietly for a caller nobody was asked about.
inline constexpr char kNotConfirmed[] = "not confirmed";

class AccessGate {
 public:
  // `callers` must outlive the gate. `exec_path`: the genuine mcpcred-exec
  // (ExecBinary::NextToSelf().path in the agent). `askpass` as Confirmer's.
  AccessGate(const CallerTable* callers, std::string exec_path,
             std::function<std::string()> askpass = nullptr);

  // Replaces the policies (on load and reload): credential name to policy;
  // entries that restrict nothing may be left out.
  void SetPolicies(const std::map<std::string, config::CallerPolicy>& policies);
  // Whether `credential` has rules: when false, Check and CheckQuietly
  // always allow it.
  bool Restricts(const std::string& credential) const;

  // For a hand-out to the caller of `grpc_peer`. Answers `done` exactly
  // once, possibly before returning, or later from the confirmer's thread.
  void Check(const std::string& credential, const std::string& grpc_peer,
             const CallerClaim& claim, AccessDone done);
  // The same without asking the person: a credential with `confirm` passes
  // only for a caller who was confirmed before (for Watch events and
  // redaction values, which must not prompt); for one not asked yet,
  // PERMISSION_DENIED with *policy = kNotConfirmed.
  absl::Status CheckQuietly(const std::string& credential,
                            const std::string& grpc_peer,
                            const CallerClaim& claim, std::string* policy);

  // Ends open prompts; call before shutting the server down.
  void Stop() { confirmer_.Stop(); }

 private:
  using PolicyMap = std::map<std::string, config::CallerPolicy>;
  std::shared_ptr<const config::CallerPolicy> Find(
      const std::string& credential) const;
  // The rules part: OK with *identity set, or the refusal.
  absl::Status CheckRules(const std::string& credential,
                          const config::CallerPolicy& policy,
                          const std::string& grpc_peer,
                          const CallerClaim& claim, CallerIdentity* identity);

  const CallerTable* const callers_;
  const std::string exec_path_;
  Confirmer confirmer_;
  mutable absl::Mutex mu_;
  std::shared_ptr<const PolicyMap> policies_ ABSL_GUARDED_BY(mu_);
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_POLICY_ACCESS_GATE_H_
