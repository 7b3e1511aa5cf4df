// Sends HTTP requests with the credential's headers, as the agent has them
// now, and handles what the server says about them:
//  - 401: the agent refreshes the credential (a forced refresh that every
//    bridge reporting the same value shares) and the request is retried once;
//  - 403 with `WWW-Authenticate: Bearer error="insufficient_scope",
//    scope="..."`: the credential is re-authorized with every scope
//    challenged so far (step_up.h), and the request is retried, once per
//    distinct challenge. Concurrent requests share one re-authorization.
// Any other answer, and the answer after the retries, is returned as is.
//
// Thread-safe.
#ifndef MCPCRED_CLIENT_REMOTE_AUTHORIZED_SENDER_H_
#define MCPCRED_CLIENT_REMOTE_AUTHORIZED_SENDER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "credential_source.h"
#include "curl_http.h"
#include "http_types.h"
#include "step_up.h"

namespace mcpcred::remote {

class AuthorizedSender {
 public:
  // Called with every credential value before a request goes out with it.
  using OnCredential = std::function<void(const CredentialPtr&)>;

  // `reauthorizer` may be null: a 403 is then returned as is.
  AuthorizedSender(CurlHttp* http, CredentialSource* credentials,
                   Reauthorizer* reauthorizer, OnCredential on_credential);

  // Errors: FAILED_PRECONDITION when a login is needed (the message says
  // "run 'mcpcred login NAME'"), PERMISSION_DENIED when a step-up failed,
  // the agent's other errors, and CurlHttp's transport errors.
  absl::StatusOr<HttpResponse> Send(const HttpRequest& request,
                                    const BodyHandlers& handlers = {});

  // Step-ups run so far (for tests).
  int step_ups() const;

 private:
  // Re-authorizes for `scopes` unless a step-up that covers them finished
  // after `version` was current; returns the value to retry with.
  absl::StatusOr<CredentialPtr> StepUp(const std::vector<std::string>& scopes,
                                       uint64_t version);
  // Waits (briefly) for the agent's value after a login to reach the source.
  absl::StatusOr<CredentialPtr> NewerThan(uint64_t version);
  absl::Status Explain(const absl::Status& status) const;

  CurlHttp* const http_;
  CredentialSource* const credentials_;
  Reauthorizer* const reauthorizer_;
  const OnCredential on_credential_;

  mutable absl::Mutex step_up_mu_;
  std::vector<std::string> scopes_ ABSL_GUARDED_BY(step_up_mu_);
  uint64_t stepped_up_version_ ABSL_GUARDED_BY(step_up_mu_) = 0;
  int step_ups_ ABSL_GUARDED_BY(step_up_mu_) = 0;
};

// `status` with a message that ends in "run 'mcpcred login NAME'" when it
// means a login is needed (FAILED_PRECONDITION); other statuses unchanged.
absl::Status LoginNeeded(const absl::Status& status, const std::string& name);

}  // namespace mcpcred::remote

#endif  // MCPCRED_CLIENT_REMOTE_AUTHORIZED_SENDER_H_
