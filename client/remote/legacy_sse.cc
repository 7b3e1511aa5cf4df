#include "legacy_sse.h"

#include "absl/strings/str_cat.h"
#include "diagnostics.h"
#include "event_reader.h"
#include "failures.h"
#include "url_util.h"

namespace mcpcred::remote {

LegacySseSession::LegacySseSession(std::string url, AuthorizedSender* sender,
                                   HostOutput* host,
                                   std::function<void()> on_ended)
    : url_(std::move(url)),
      sender_(sender),
      host_(host),
      on_ended_(std::move(on_ended)) {}

LegacySseSession::~LegacySseSession() { Close(); }

absl::Status LegacySseSession::Start(absl::Duration timeout) {
  thread_ = std::thread([this] { Run(); });
  absl::MutexLock lock(&mu_);
  auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !endpoint_.empty() || !failed_.ok() || ended_;
  };
  if (!mu_.AwaitWithTimeout(absl::Condition(&ready), timeout)) {
    return absl::DeadlineExceededError(
        "the server's SSE stream sent no endpoint event in time");
  }
  if (!failed_.ok()) return failed_;
  if (endpoint_.empty()) {
    return absl::UnavailableError(
        "the server's SSE stream ended without an endpoint event");
  }
  return absl::OkStatus();
}

void LegacySseSession::Run() {
  EventReader reader([this](const SseEvent& event) {
    if (event.type == "endpoint") {
      absl::StatusOr<std::string> endpoint =
          ResolveSameOrigin(url_, event.data);
      absl::MutexLock lock(&mu_);
      if (endpoint.ok()) {
        endpoint_ = *std::move(endpoint);
      } else {
        failed_ = endpoint.status();
      }
    } else if (event.type == "message") {
      host_->Send(event.data);
    }
  });
  HttpRequest get;
  get.method = "GET";
  get.url = url_;
  get.headers = {{"Accept", "text/event-stream"}};
  get.cancel = &cancel_;
  absl::StatusOr<HttpResponse> response = sender_->Send(get, reader.Handlers());
  bool was_open = false;
  {
    absl::MutexLock lock(&mu_);
    was_open = !endpoint_.empty();
    ended_ = true;
    if (!response.ok()) {
      failed_ = response.status();
    } else if (!IsEventStream(*response)) {
      failed_ = absl::UnavailableError(
          absl::StrCat("GET answered ", DescribeHttpError(*response)));
    }
  }
  if (was_open && !cancel_.load()) {
    Say("the server closed its SSE stream: the session is over");
    if (on_ended_) on_ended_();
  }
}

void LegacySseSession::Relay(const HostMessage& message) {
  HttpRequest post;
  {
    absl::MutexLock lock(&mu_);
    post.url = endpoint_;
  }
  post.headers = {{"Content-Type", "application/json"}};
  post.body = message.text;
  absl::StatusOr<HttpResponse> response = sender_->Send(post);
  if (!response.ok()) {
    ReportFailure(host_, message, response.status());
  } else if (response->status < 200 || response->status >= 300) {
    ReportHttpError(host_, message, *response);
  }
}

void LegacySseSession::Close() {
  cancel_.store(true);
  if (thread_.joinable()) thread_.join();
}

}  // namespace mcpcred::remote
