#include "authorized_sender.h"

#include <algorithm>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "www_authenticate.h"

namespace mcpcred::remote {
namespace {

// How long a login's new value may take to arrive through the Watch stream
// before the agent is asked directly.
constexpr absl::Duration kLoginPropagation = absl::Seconds(3);

}  // namespace

absl::Status LoginNeeded(const absl::Status& status, const std::string& name) {
  if (status.code() != absl::StatusCode::kFailedPrecondition) return status;
  std::string advice = absl::StrCat("run 'mcpcred login ", name, "'");
  if (absl::StrContains(status.message(), advice)) return status;
  return absl::FailedPreconditionError(
      absl::StrCat(status.message(), ": ", advice));
}

AuthorizedSender::AuthorizedSender(CurlHttp* http,
                                   CredentialSource* credentials,
                                   Reauthorizer* reauthorizer,
                                   OnCredential on_credential)
    : http_(http),
      credentials_(credentials),
      reauthorizer_(reauthorizer),
      on_credential_(std::move(on_credential)) {}

int AuthorizedSender::step_ups() const {
  absl::MutexLock lock(&step_up_mu_);
  return step_ups_;
}

absl::Status AuthorizedSender::Explain(const absl::Status& status) const {
  return LoginNeeded(status, credentials_->name());
}

absl::StatusOr<HttpResponse> AuthorizedSender::Send(
    const HttpRequest& request, const BodyHandlers& handlers) {
  absl::StatusOr<CredentialPtr> credential = credentials_->Get();
  if (!credential.ok()) return Explain(credential.status());
  bool refreshed = false;
  std::set<std::string> challenges;
  for (;;) {
    if (on_credential_) on_credential_(*credential);
    HttpRequest attempt = request;
    for (const auto& [name, value] : (*credential)->headers()) {
      attempt.headers.emplace_back(name, value);
    }
    absl::StatusOr<HttpResponse> response = http_->Send(attempt, handlers);
    if (!response.ok()) return response.status();
    if (response->status == 401 && !refreshed) {
      refreshed = true;
      credential = credentials_->Refresh();
      if (!credential.ok()) return Explain(credential.status());
      continue;
    }
    if (response->status == 403 && reauthorizer_ != nullptr) {
      std::optional<BearerChallenge> challenge =
          ParseBearerChallenge(response->Headers("www-authenticate"));
      if (challenge.has_value() && IsScopeChallenge(*challenge)) {
        std::vector<std::string> scopes = challenge->scopes;
        std::sort(scopes.begin(), scopes.end());
        if (challenges.insert(absl::StrJoin(scopes, " ")).second) {
          credential = StepUp(challenge->scopes, (*credential)->version());
          if (!credential.ok()) return Explain(credential.status());
          continue;
        }
      }
    }
    return response;
  }
}

absl::StatusOr<CredentialPtr> AuthorizedSender::StepUp(
    const std::vector<std::string>& scopes, uint64_t version) {
  absl::MutexLock lock(&step_up_mu_);
  // Bound under the lock, for the lambda (which the analysis checks alone).
  const std::vector<std::string>* held = &scopes_;
  bool covered = std::all_of(scopes.begin(), scopes.end(), [&](auto& scope) {
    return std::find(held->begin(), held->end(), scope) != held->end();
  });
  if (covered && stepped_up_version_ > version) {
    // Another request stepped up meanwhile: retry with its value.
    return credentials_->Get();
  }
  for (const std::string& scope : scopes) {
    if (std::find(scopes_.begin(), scopes_.end(), scope) == scopes_.end()) {
      scopes_.push_back(scope);
    }
  }
  ++step_ups_;
  absl::Status status = reauthorizer_->Reauthorize(scopes_);
  if (!status.ok()) {
    if (status.code() == absl::StatusCode::kFailedPrecondition) return status;
    return absl::PermissionDeniedError(
        absl::StrCat("the server needs scope \"", absl::StrJoin(scopes, " "),
                     "\" and re-authorizing ", credentials_->name(),
                     " failed: ", status.message()));
  }
  absl::StatusOr<CredentialPtr> fresh = NewerThan(version);
  if (fresh.ok()) stepped_up_version_ = (*fresh)->version();
  return fresh;
}

absl::StatusOr<CredentialPtr> AuthorizedSender::NewerThan(uint64_t version) {
  absl::Time deadline = absl::Now() + kLoginPropagation;
  for (;;) {
    absl::StatusOr<CredentialPtr> credential = credentials_->Get();
    if (!credential.ok() || (*credential)->version() > version) {
      return credential;
    }
    if (absl::Now() > deadline) return credentials_->Refresh();
    absl::SleepFor(absl::Milliseconds(20));
  }
}

}  // namespace mcpcred::remote
