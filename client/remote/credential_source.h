// Where the bridge gets the credential for each request: the agent, through
// an in-memory CredentialCache fed by its Watch stream. An interface so that
// tests can hand out values of their own.
#ifndef MCPCRED_CLIENT_REMOTE_CREDENTIAL_SOURCE_H_
#define MCPCRED_CLIENT_REMOTE_CREDENTIAL_SOURCE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "mcpcred/credential_cache.h"
#include "mcpcred/v1/agent.pb.h"

namespace mcpcred::remote {

using CredentialPtr = std::shared_ptr<const v1::Credential>;

class CredentialSource {
 public:
  virtual ~CredentialSource() = default;
  // The credential's name (for messages).
  virtual const std::string& name() const = 0;
  // The current value. FAILED_PRECONDITION when a login is needed.
  virtual absl::StatusOr<CredentialPtr> Get() = 0;
  // A newer value than the one the server rejected (HTTP 401).
  virtual absl::StatusOr<CredentialPtr> Refresh() = 0;
};

// A CredentialSource on a CredentialCache. Thread-safe.
class CacheCredentialSource : public CredentialSource {
 public:
  CacheCredentialSource(std::unique_ptr<CredentialCache> cache,
                        std::string name)
      : cache_(std::move(cache)), name_(std::move(name)) {}
  const std::string& name() const override { return name_; }
  absl::StatusOr<CredentialPtr> Get() override { return cache_->Get(name_); }
  absl::StatusOr<CredentialPtr> Refresh() override {
    return cache_->Refresh(name_);
  }

 private:
  std::unique_ptr<CredentialCache> cache_;
  std::string name_;
};

}  // namespace mcpcred::remote

#endif  // MCPCRED_CLIENT_REMOTE_CREDENTIAL_SOURCE_H_
