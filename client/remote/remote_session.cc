#include "remote_session.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "diagnostics.h"
#include "event_reader.h"
#include "failures.h"

namespace mcpcred::remote {
namespace {

constexpr char kAccept[] = "application/json, text/event-stream";
constexpr char kInitialized[] =
    R"({"jsonrpc":"2.0","method":"notifications/initialized"})";
// A DELETE at exit must not keep the host waiting on a hung server.
constexpr std::chrono::milliseconds kDeleteTimeout{3000};
constexpr absl::Duration kMinStreamBackoff = absl::Milliseconds(200);
constexpr absl::Duration kMaxStreamBackoff = absl::Seconds(30);

bool Ok(const HttpResponse& response) {
  return response.status >= 200 && response.status < 300;
}

// The old transport answers a Streamable initialize POST with a 4xx that is
// about neither the credential nor the rate.
bool MeansOldTransport(long status) {
  return status >= 400 && status < 500 && status != 401 && status != 403 &&
         status != 429;
}

absl::Duration ToDuration(std::chrono::milliseconds ms) {
  return absl::Milliseconds(ms.count());
}

}  // namespace

RemoteSession::RemoteSession(RemoteOptions options, AuthorizedSender* sender,
                             HostOutput* host)
    : options_(std::move(options)), sender_(sender), host_(host) {}

RemoteSession::~RemoteSession() { Close(); }

std::string RemoteSession::session_id() const {
  absl::MutexLock lock(&mu_);
  return session_id_;
}

std::string RemoteSession::protocol_version() const {
  absl::MutexLock lock(&mu_);
  return protocol_version_;
}

bool RemoteSession::legacy() const {
  absl::MutexLock lock(&mu_);
  return legacy_ != nullptr;
}

HttpRequest RemoteSession::Request(const std::string& method, std::string body,
                                   const std::string& last_event_id) const {
  HttpRequest request;
  request.method = method;
  request.url = options_.url;
  request.body = std::move(body);
  if (method == "POST") {
    request.headers = {{"Content-Type", "application/json"},
                       {"Accept", kAccept}};
  } else if (method == "GET") {
    request.headers = {{"Accept", "text/event-stream"}};
  }
  {
    absl::MutexLock lock(&mu_);
    if (!session_id_.empty()) {
      request.headers.emplace_back("Mcp-Session-Id", session_id_);
    }
    if (!protocol_version_.empty()) {
      request.headers.emplace_back("MCP-Protocol-Version", protocol_version_);
    }
  }
  if (!last_event_id.empty()) {
    request.headers.emplace_back("Last-Event-ID", last_event_id);
  }
  request.cancel = &requests_cancel_;
  return request;
}

void RemoteSession::Relay(const HostMessage& message) {
  LegacySseSession* legacy = nullptr;
  {
    absl::MutexLock lock(&mu_);
    legacy = legacy_.get();
  }
  if (legacy != nullptr) {
    legacy->Relay(message);
    return;
  }
  if (!Exchange(message, /*may_renew=*/true)) {
    Exchange(message, /*may_renew=*/false);
  }
}

void RemoteSession::Deliver(const std::string& data, const HostMessage* request,
                            bool* answered) {
  if (request != nullptr) {
    nlohmann::json json =
        nlohmann::json::parse(data, nullptr, /*allow_exceptions=*/false);
    if (IsResponseTo(json, request->id)) {
      *answered = true;
      if (request->is_initialize() && json.contains("result") &&
          json["result"].is_object()) {
        std::string version = json["result"].value("protocolVersion", "");
        absl::MutexLock lock(&mu_);
        protocol_version_ = version;
      }
    }
  }
  host_->Send(data);
}

bool RemoteSession::Exchange(const HostMessage& message, bool may_renew) {
  const std::string sent_session = session_id();
  const HostMessage* request = message.is_request() ? &message : nullptr;
  bool answered = false;
  EventReader reader([&](const SseEvent& event) {
    if (event.type == "message") Deliver(event.data, request, &answered);
  });
  BodyHandlers handlers = reader.Handlers();
  if (message.is_initialize()) {
    // The session id must be known before the host sees the answer: its
    // next message may follow at once.
    handlers.stream = [this,
                       stream = handlers.stream](const HttpResponse& head) {
      if (Ok(head)) {
        absl::MutexLock lock(&mu_);
        session_id_ = head.Header("mcp-session-id");
      }
      return stream(head);
    };
  }
  absl::StatusOr<HttpResponse> response =
      sender_->Send(Request("POST", message.text), handlers);
  reader.Finish();
  if (!response.ok()) {
    ReportFailure(host_, message, response.status());
    return true;
  }
  if (response->status == 404 && !sent_session.empty() && may_renew &&
      !message.is_initialize() && Renew(sent_session)) {
    return false;
  }
  if (message.is_initialize() && sent_session.empty() &&
      MeansOldTransport(response->status) &&
      SwitchToLegacy(message, response->status)) {
    return true;
  }
  if (!Ok(*response)) {
    ReportHttpError(host_, message, *response);
    return true;
  }
  if (message.is_initialize()) {
    absl::MutexLock lock(&mu_);
    initialize_ = message.text;
  }
  if (request == nullptr) {
    if (message.method == "notifications/initialized") StartGetStream();
    return true;
  }
  if (!IsEventStream(*response) && !response->body.empty()) {
    Deliver(response->body, request, &answered);
  }
  // A stream that ended before the answer: resume it where it broke off.
  for (int idle = 0; !answered && reader.resumable() &&
                     idle < options_.max_resumes && !requests_cancel_.load();) {
    absl::SleepFor(ToDuration(reader.retry(options_.default_retry)));
    uint64_t before = reader.events();
    response = sender_->Send(Request("GET", "", reader.last_event_id()),
                             reader.Handlers());
    reader.Finish();
    if (!response.ok()) {
      ReportFailure(host_, message, response.status());
      return true;
    }
    if (!IsEventStream(*response)) break;
    idle = reader.events() > before ? 0 : idle + 1;
  }
  if (!answered) {
    std::string text = absl::StrCat("the server ended its answer to \"",
                                    message.method, "\" without a result");
    Say(text);
    host_->SendError(message.id, kErrorUpstream, text);
  }
  return true;
}

bool RemoteSession::SwitchToLegacy(const HostMessage& initialize, long status) {
  Say(absl::StrCat("the server answered initialize with HTTP ", status,
                   ": trying the HTTP+SSE transport of 2024-11-05"));
  auto legacy = std::make_unique<LegacySseSession>(options_.url, sender_, host_,
                                                   options_.on_ended);
  absl::Status started = legacy->Start();
  if (!started.ok()) {
    Say(absl::StrCat("HTTP+SSE transport: ", started.message()));
    return false;
  }
  LegacySseSession* session = legacy.get();
  {
    absl::MutexLock lock(&mu_);
    legacy_ = std::move(legacy);
  }
  session->Relay(initialize);
  return true;
}

bool RemoteSession::Renew(const std::string& expired) {
  absl::MutexLock renewing(&renew_mu_);
  std::string initialize;
  {
    absl::MutexLock lock(&mu_);
    if (session_id_ != expired) return true;  // renewed meanwhile
    if (initialize_.empty()) return false;
    initialize = initialize_;
    session_id_.clear();
  }
  Say("the server ended the session: starting a new one");
  EventReader ignore([](const SseEvent&) {});
  absl::StatusOr<HttpResponse> response =
      sender_->Send(Request("POST", initialize), ignore.Handlers());
  if (!response.ok() || !Ok(*response)) return false;
  {
    absl::MutexLock lock(&mu_);
    session_id_ = response->Header("mcp-session-id");
  }
  response = sender_->Send(Request("POST", kInitialized));
  return response.ok() && Ok(*response);
}

void RemoteSession::StartGetStream() {
  absl::MutexLock lock(&mu_);
  if (stream_started_ || closed_) return;
  stream_started_ = true;
  stream_thread_ = std::thread([this] { RunGetStream(); });
}

void RemoteSession::RunGetStream() {
  EventReader reader([this](const SseEvent& event) {
    if (event.type == "message") Deliver(event.data, nullptr, nullptr);
  });
  absl::Duration backoff = kMinStreamBackoff;
  bool said_login = false;
  while (!stream_cancel_.load()) {
    HttpRequest get = Request("GET", "", reader.last_event_id());
    get.cancel = &stream_cancel_;
    absl::StatusOr<HttpResponse> response =
        sender_->Send(get, reader.Handlers());
    reader.Finish();
    if (stream_cancel_.load()) break;
    absl::Duration wait = backoff;
    if (response.ok() && response->status == 405) return;  // none offered
    if (response.ok() && IsEventStream(*response)) {
      backoff = kMinStreamBackoff;
      wait = ToDuration(reader.retry(options_.default_retry));
    } else {
      if (!response.ok() && !said_login &&
          response.status().code() == absl::StatusCode::kFailedPrecondition) {
        Say(response.status().message());
        said_login = true;
      }
      backoff = std::min(backoff * 2, kMaxStreamBackoff);
    }
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(&closed_), wait);
  }
}

void RemoteSession::Close() {
  std::string session;
  LegacySseSession* legacy = nullptr;
  {
    absl::MutexLock lock(&mu_);
    if (closed_) return;
    closed_ = true;
    session = session_id_;
    legacy = legacy_.get();
  }
  stream_cancel_.store(true);
  if (stream_thread_.joinable()) stream_thread_.join();
  if (legacy != nullptr) legacy->Close();
  if (!session.empty()) {
    HttpRequest end = Request("DELETE", "");
    end.cancel = nullptr;
    end.timeout = kDeleteTimeout;
    // 405: the server does not let clients end sessions; nothing to do.
    (void)sender_->Send(end);
  }
}

}  // namespace mcpcred::remote
