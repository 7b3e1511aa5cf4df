#include "curl_http.h"

#include <curl/curl.h>

#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace mcpcred::remote {
namespace {

// What one transfer's callbacks share.
struct Transfer {
  const BodyHandlers* handlers;
  const std::atomic<bool>* cancel;
  HttpResponse response;
  bool head_done = false;
  bool streaming = false;
};

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  std::string_view line(data, size * count);
  absl::string_view trimmed = absl::StripTrailingAsciiWhitespace(
      absl::string_view(line.data(), line.size()));
  if (absl::StartsWith(trimmed, "HTTP/")) {
    // A new response (after a 1xx, each starts over).
    transfer->response = HttpResponse();
    size_t space = trimmed.find(' ');
    int status = 0;
    if (space != absl::string_view::npos &&
        absl::SimpleAtoi(trimmed.substr(space + 1, 3), &status)) {
      transfer->response.status = status;
    }
    return line.size();
  }
  if (trimmed.empty()) {
    if (transfer->response.status >= 200 && !transfer->head_done) {
      transfer->head_done = true;
      const BodyHandlers& handlers = *transfer->handlers;
      transfer->streaming = handlers.stream && handlers.on_body &&
                            handlers.stream(transfer->response);
    }
    return line.size();
  }
  size_t colon = trimmed.find(':');
  if (colon != absl::string_view::npos) {
    transfer->response.headers.emplace_back(
        absl::AsciiStrToLower(trimmed.substr(0, colon)),
        std::string(absl::StripAsciiWhitespace(trimmed.substr(colon + 1))));
  }
  return line.size();
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  std::string_view chunk(data, size * count);
  if (transfer->streaming) {
    transfer->handlers->on_body(chunk);
  } else {
    transfer->response.body.append(chunk);
  }
  return chunk.size();
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const std::atomic<bool>* cancel = static_cast<Transfer*>(user)->cancel;
  return cancel != nullptr && cancel->load() ? 1 : 0;
}

absl::Status TransferError(CURLcode code) {
  std::string message = curl_easy_strerror(code);
  switch (code) {
    case CURLE_ABORTED_BY_CALLBACK:
      return absl::CancelledError("the bridge is stopping");
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return absl::InvalidArgumentError(message);
    case CURLE_OPERATION_TIMEDOUT:
      return absl::DeadlineExceededError(message);
    default:
      return absl::UnavailableError(message);
  }
}

}  // namespace

CurlHttp::CurlHttp(std::chrono::milliseconds connect_timeout)
    : connect_timeout_(connect_timeout) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

CurlHttp::~CurlHttp() {
  absl::MutexLock lock(&mu_);
  for (void* handle : idle_) curl_easy_cleanup(static_cast<CURL*>(handle));
}

void* CurlHttp::TakeHandle() {
  {
    absl::MutexLock lock(&mu_);
    if (!idle_.empty()) {
      void* handle = idle_.back();
      idle_.pop_back();
      return handle;
    }
  }
  return curl_easy_init();
}

void CurlHttp::ReturnHandle(void* handle) {
  absl::MutexLock lock(&mu_);
  idle_.push_back(handle);
}

absl::StatusOr<HttpResponse> CurlHttp::Send(const HttpRequest& request,
                                            const BodyHandlers& handlers) {
  if (request.cancel != nullptr && request.cancel->load()) {
    return absl::CancelledError("the bridge is stopping");
  }
  CURL* curl = static_cast<CURL*>(TakeHandle());
  if (curl == nullptr) return absl::ResourceExhaustedError("curl_easy_init");
  // reset() keeps the handle's live connections and DNS cache.
  curl_easy_reset(curl);

  Transfer transfer{&handlers, request.cancel, {}, false, false};
  curl_slist* headers = nullptr;
  for (const auto& [name, value] : request.headers) {
    headers =
        curl_slist_append(headers, absl::StrCat(name, ": ", value).c_str());
  }
  // No "Expect: 100-continue" round trip before a large body.
  headers = curl_slist_append(headers, "Expect:");

  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(connect_timeout_.count()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  if (request.timeout.count() > 0) {
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                     static_cast<long>(request.timeout.count()));
  }
  if (request.method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
  } else if (request.method != "GET") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, OnProgress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &transfer);

  CURLcode code = curl_easy_perform(curl);
  // The header list holds credentials: it is freed, never logged.
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
  curl_slist_free_all(headers);
  ReturnHandle(curl);
  if (code != CURLE_OK) return TransferError(code);
  return std::move(transfer.response);
}

}  // namespace mcpcred::remote
