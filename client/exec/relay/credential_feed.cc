#include "relay/credential_feed.h"

#include <unistd.h>

#include <cstdint>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace mcpcred::exec::relay {
namespace {

constexpr absl::Duration kMinBackoff = absl::Milliseconds(200);
constexpr absl::Duration kMaxBackoff = absl::Seconds(5);

}  // namespace

CredentialFeed::CredentialFeed(std::unique_ptr<Client> client,
                               std::vector<std::string> names, int wake_fd,
                               bool redaction_values)
    : client_(std::move(client)),
      names_(std::move(names)),
      wake_fd_(wake_fd),
      redaction_values_(redaction_values) {
  worker_ = std::thread([this] { Work(); });
  watcher_ = std::thread([this] { Watch(); });
}

CredentialFeed::~CredentialFeed() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  canceller_.Cancel();
  watcher_.join();
  worker_.join();
}

void CredentialFeed::Wake() {
  uint64_t one = 1;
  ssize_t ignored = write(wake_fd_, &one, sizeof(one));
  (void)ignored;
}

void CredentialFeed::Problem(std::string line) {
  {
    absl::MutexLock lock(&mu_);
    pending_.problems.push_back(std::move(line));
  }
  Wake();
}

void CredentialFeed::Keep(const v1::Credential& credential) {
  {
    absl::MutexLock lock(&mu_);
    uint64_t& version = versions_[credential.name()];
    if (credential.version() <= version) return;
    version = credential.version();
    pending_.credentials[credential.name()] = {credential, absl::Now()};
  }
  Wake();
}

void CredentialFeed::Post(std::function<void()> task) {
  absl::MutexLock lock(&mu_);
  if (!stopping_) tasks_.push_back(std::move(task));
}

void CredentialFeed::Work() {
  while (true) {
    std::function<void()> task;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](CredentialFeed* feed) ABSL_EXCLUSIVE_LOCKS_REQUIRED(feed->mu_) {
            return feed->stopping_ || !feed->tasks_.empty();
          },
          this));
      if (tasks_.empty()) return;  // stopping, nothing left
      task = std::move(tasks_.front());
      tasks_.pop_front();
      ++busy_;
    }
    task();
    absl::MutexLock lock(&mu_);
    --busy_;
  }
}

void CredentialFeed::Watch() {
  absl::Duration backoff = kMinBackoff;
  auto refresh_redaction = [this] {
    if (!redaction_values_) return;
    {
      absl::MutexLock lock(&mu_);
      if (redaction_queued_) return;  // one refresh covers every change
      redaction_queued_ = true;
    }
    Post([this] {
      {
        absl::MutexLock lock(&mu_);
        redaction_queued_ = false;
      }
      absl::StatusOr<v1::GetRedactionValuesResponse> values =
          client_->GetRedactionValues();
      if (!values.ok()) {
        Problem(absl::StrCat("cannot get the values to mask from the agent: ",
                             values.status().message()));
        return;
      }
      {
        absl::MutexLock lock(&mu_);
        pending_.redaction =
            std::make_shared<v1::GetRedactionValuesResponse>(*values);
      }
      Wake();
    });
  };
  while (true) {
    bool delivered = false;
    absl::Status status = client_->Watch(
        names_,
        [&](const v1::CredentialEvent& event) {
          delivered = true;
          if (event.has_credential()) Keep(event.credential());
          if (event.kind() != v1::CredentialEvent::SNAPSHOT) {
            refresh_redaction();
          }
        },
        &canceller_);
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
    }
    if (delivered) backoff = kMinBackoff;
    if (status.code() != absl::StatusCode::kUnavailable) {
      Problem(absl::StrCat("the credential stream ended: ", status.message()));
    }
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(&stopping_), backoff);
    if (stopping_) return;
    backoff = std::min(backoff * 2, kMaxBackoff);
  }
}

CredentialFeed::Update CredentialFeed::Take() {
  absl::MutexLock lock(&mu_);
  return std::exchange(pending_, Update());
}

void CredentialFeed::RequestFresh(const std::string& name,
                                  std::chrono::seconds min_ttl) {
  Post([this, name, min_ttl] {
    absl::StatusOr<v1::Credential> credential =
        client_->GetCredential(name, min_ttl);
    if (credential.ok()) {
      Keep(*credential);
    } else {
      Problem(absl::StrCat("cannot refresh credential \"", name,
                           "\": ", credential.status().message()));
    }
  });
}

void CredentialFeed::Report(std::string source,
                            std::map<std::string, uint64_t> counts) {
  Post([this, source = std::move(source), counts = std::move(counts)] {
    v1::ReportRedactionsRequest request;
    request.set_source(source);
    for (const auto& [label, count] : counts) {
      (*request.mutable_counts())[label] = count;
    }
    absl::Status reported = client_->ReportRedactions(request);
    if (!reported.ok()) {
      Problem(absl::StrCat("cannot report masking counts to the agent: ",
                           reported.message()));
    }
  });
}

void CredentialFeed::Flush(absl::Duration limit) {
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithTimeout(
      absl::Condition(
          +[](CredentialFeed* feed) ABSL_EXCLUSIVE_LOCKS_REQUIRED(feed->mu_) {
            return feed->tasks_.empty() && feed->busy_ == 0;
          },
          this),
      limit);
}

}  // namespace mcpcred::exec::relay
