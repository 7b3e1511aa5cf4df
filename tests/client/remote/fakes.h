// Test doubles for the bridge's unit tests: a credential source whose
// values the test controls, a re-authorizer that records its scopes, and
// the host's end of the bridge's stdout.
#ifndef MCPCRED_TESTS_CLIENT_REMOTE_FAKES_H_
#define MCPCRED_TESTS_CLIENT_REMOTE_FAKES_H_

#include <unistd.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "credential_source.h"
#include "step_up.h"

namespace mcpcred::remote::testing {

// Values "tok-<version>-0123456789abcdef": long enough to be masked.
class FakeCredentials : public CredentialSource {
 public:
  static std::string TokenOf(uint64_t version) {
    return absl::StrCat("tok-", version, "-0123456789abcdef");
  }
  const std::string& name() const override { return name_; }
  absl::StatusOr<CredentialPtr> Get() override {
    absl::MutexLock lock(&mu_);
    if (login_needed_) {
      return absl::FailedPreconditionError(
          "credential \"linear\" needs a login");
    }
    return Make();
  }
  absl::StatusOr<CredentialPtr> Refresh() override {
    absl::MutexLock lock(&mu_);
    ++refreshes_;
    ++version_;
    return Make();
  }
  void Bump() {
    absl::MutexLock lock(&mu_);
    ++version_;
  }
  void set_login_needed(bool needed) {
    absl::MutexLock lock(&mu_);
    login_needed_ = needed;
  }
  int refreshes() {
    absl::MutexLock lock(&mu_);
    return refreshes_;
  }

 private:
  CredentialPtr Make() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    auto credential = std::make_shared<v1::Credential>();
    credential->set_name(name_);
    credential->set_version(version_);
    credential->set_token(TokenOf(version_));
    (*credential->mutable_headers())["Authorization"] =
        "Bearer " + TokenOf(version_);
    credential->add_secret_header_names("Authorization");
    return credential;
  }

  const std::string name_ = "linear";
  absl::Mutex mu_;
  uint64_t version_ ABSL_GUARDED_BY(mu_) = 1;
  int refreshes_ ABSL_GUARDED_BY(mu_) = 0;
  bool login_needed_ ABSL_GUARDED_BY(mu_) = false;
};

// Each re-authorization gives the credential a new value.
class FakeReauthorizer : public Reauthorizer {
 public:
  explicit FakeReauthorizer(FakeCredentials* credentials)
      : credentials_(credentials) {}
  absl::Status Reauthorize(const std::vector<std::string>& scopes) override {
    absl::MutexLock lock(&mu_);
    calls_.push_back(scopes);
    credentials_->Bump();
    return absl::OkStatus();
  }
  std::vector<std::vector<std::string>> calls() {
    absl::MutexLock lock(&mu_);
    return calls_;
  }

 private:
  FakeCredentials* credentials_;
  absl::Mutex mu_;
  std::vector<std::vector<std::string>> calls_ ABSL_GUARDED_BY(mu_);
};

// A pipe: the bridge writes the write end, the test reads lines.
class HostPipe {
 public:
  HostPipe() {
    if (pipe(fds_) != 0) fds_[0] = fds_[1] = -1;
  }
  ~HostPipe() {
    close(fds_[0]);
    if (fds_[1] >= 0) close(fds_[1]);
  }
  int write_fd() const { return fds_[1]; }
  // Every line written so far (closes the write end first).
  std::vector<std::string> Lines() {
    close(fds_[1]);
    fds_[1] = -1;
    std::string all;
    char buffer[4096];
    for (ssize_t got; (got = read(fds_[0], buffer, sizeof(buffer))) > 0;) {
      all.append(buffer, static_cast<size_t>(got));
    }
    std::vector<std::string> lines;
    for (size_t from = 0, end;
         (end = all.find('\n', from)) != std::string::npos; from = end + 1) {
      lines.push_back(all.substr(from, end - from));
    }
    return lines;
  }

 private:
  int fds_[2];
};

}  // namespace mcpcred::remote::testing

#endif  // MCPCRED_TESTS_CLIENT_REMOTE_FAKES_H_
