#include "agent/policy/access_gate.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace mcpcred {

AccessGate::AccessGate(const CallerTable* callers, std::string exec_path,
                       std::function<std::string()> askpass)
    : callers_(callers),
      exec_path_(std::move(exec_path)),
      confirmer_(std::move(askpass)),
      policies_(std::make_shared<PolicyMap>()) {}

void AccessGate::SetPolicies(
    const std::map<std::string, config::CallerPolicy>& policies) {
  auto map = std::make_shared<PolicyMap>();
  for (const auto& [name, policy] : policies) {
    if (policy.restricts()) map->emplace(name, policy);
  }
  absl::MutexLock lock(&mu_);
  policies_ = std::move(map);
}

std::shared_ptr<const config::CallerPolicy> AccessGate::Find(
    const std::string& credential) const {
  std::shared_ptr<const PolicyMap> map;
  {
    absl::ReaderMutexLock lock(&mu_);
    map = policies_;
  }
  auto it = map->find(credential);
  if (it == map->end()) return nullptr;
  return std::shared_ptr<const config::CallerPolicy>(map, &it->second);
}

bool AccessGate::Restricts(const std::string& credential) const {
  return Find(credential) != nullptr;
}

absl::Status AccessGate::CheckRules(const std::string& credential,
                                    const config::CallerPolicy& policy,
                                    const std::string& grpc_peer,
                                    const CallerClaim& claim,
                                    CallerIdentity* identity) {
  std::shared_ptr<ConnectedCaller> caller = callers_->Lookup(grpc_peer);
  absl::StatusOr<CallerIdentity> who =
      caller != nullptr ? caller->Identity()
                        : absl::NotFoundError("the caller is unknown");
  if (!who.ok()) {
    return absl::PermissionDeniedError(
        absl::StrCat("credential \"", credential,
                     "\" is restricted and its caller cannot be identified: ",
                     who.status().message()));
  }
  *identity = *std::move(who);
  if (!policy.allow.has_value()) return absl::OkStatus();
  // Stat'ed now rather than at start: an upgrade replaces the file.
  return CheckAllowed(credential, *policy.allow, *identity, claim,
                      ExecBinary::At(exec_path_));
}

void AccessGate::Check(const std::string& credential,
                       const std::string& grpc_peer, const CallerClaim& claim,
                       AccessDone done) {
  std::shared_ptr<const config::CallerPolicy> policy = Find(credential);
  if (policy == nullptr) {
    done(absl::OkStatus(), "");
    return;
  }
  CallerIdentity identity;
  absl::Status allowed =
      CheckRules(credential, *policy, grpc_peer, claim, &identity);
  if (!allowed.ok()) {
    done(allowed, "not allowed");
    return;
  }
  if (!policy->confirm) {
    done(absl::OkStatus(), "allowed");
    return;
  }
  confirmer_.Ask(credential, identity, policy->confirm_timeout,
                 std::move(done));
}

absl::Status AccessGate::CheckQuietly(const std::string& credential,
                                      const std::string& grpc_peer,
                                      const CallerClaim& claim,
                                      std::string* decision) {
  std::shared_ptr<const config::CallerPolicy> policy = Find(credential);
  if (policy == nullptr) {
    decision->clear();
    return absl::OkStatus();
  }
  CallerIdentity identity;
  absl::Status allowed =
      CheckRules(credential, *policy, grpc_peer, claim, &identity);
  if (!allowed.ok()) {
    *decision = "not allowed";
    return allowed;
  }
  if (policy->confirm && !confirmer_.Approved(credential, identity)) {
    *decision = kNotConfirmed;
    return absl::PermissionDeniedError(absl::StrCat(
        "credential \"", credential, "\" needs your confirmation for ",
        DescribeCaller(identity),
        ": ask for it with GetCredential (e.g. mcpcred token ", credential,
        ") first"));
  }
  *decision = policy->confirm ? "confirmed earlier" : "allowed";
  return absl::OkStatus();
}

}  // namespace mcpcred
