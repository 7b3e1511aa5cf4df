// The agent's http module (agent/http/http_module.h): PerformHttp through
// libcurl, loaded by the agent at the first HTTP request of a plugin.
#include <curl/curl.h>

#include <cctype>
#include <memory>
#include <mutex>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "agent/http/address_policy.h"
#include "agent/http/http_client.h"
#include "agent/http/http_module.h"
#include "agent/util/internal_module.h"

namespace mcpcred {
namespace {

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

// What the callbacks share with the request.
struct Transfer {
  const HttpRequest* request;
  HttpResponse response;
  bool too_large = false;
  absl::Status refused;  // set by the open-socket check
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  if (t->response.body.size() + n > kMaxResponseBytes) {
    t->too_large = true;
    return 0;  // aborts the transfer
  }
  t->response.body.append(data, n);
  return n;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  absl::string_view line(data, n);
  if (absl::StartsWith(line, "HTTP/")) {
    t->response.headers.clear();  // a new response (after 1xx or a redirect)
    return n;
  }
  size_t colon = line.find(':');
  if (colon == absl::string_view::npos) return n;
  std::string name = absl::AsciiStrToLower(line.substr(0, colon));
  absl::string_view value = absl::StripAsciiWhitespace(line.substr(colon + 1));
  t->response.headers.emplace_back(std::move(name), std::string(value));
  return n;
}

curl_socket_t OnOpenSocket(void* user, curlsocktype purpose,
                           curl_sockaddr* address) {
  auto* t = static_cast<Transfer*>(user);
  std::string scheme =
      absl::StartsWith(t->request->url, "https:") ? "https" : "http";
  absl::Status allowed = CheckConnectAddress(
      scheme, &address->addr, address->addrlen, t->request->allow_private);
  if (!allowed.ok()) {
    t->refused = allowed;
    return CURL_SOCKET_BAD;
  }
  return socket(address->family, address->socktype | SOCK_CLOEXEC,
                address->protocol);
}

void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

absl::StatusOr<HttpResponse> CurlPerform(const HttpRequest& request) {
  if (!absl::StartsWith(request.url, "https://") &&
      !absl::StartsWith(request.url, "http://")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unsupported URL ", UrlForMessages(request.url), ": use https://"));
  }
  GlobalInitOnce();
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (curl == nullptr) return absl::InternalError("curl_easy_init failed");
  CURL* c = curl.get();
  Transfer transfer{&request, {}, false, absl::OkStatus()};

  std::unique_ptr<curl_slist, SlistDeleter> headers;
  for (const auto& [name, value] : request.headers) {
    std::string line = absl::StrCat(name, ": ", value);
    headers.reset(curl_slist_append(headers.release(), line.c_str()));
  }
  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (request.method == "HEAD") curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  if (!request.body.empty() || request.method == "POST") {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  }
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION,
                   request.follow_redirects ? 1L : 0L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM
  curl_easy_setopt(
      c, CURLOPT_TIMEOUT_MS,
      static_cast<long>(absl::ToInt64Milliseconds(request.timeout)));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "mcpcred/" MCPCRED_VERSION);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, &OnOpenSocket);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &transfer);
  // Never reuse a connection across requests: each one is checked afresh.
  curl_easy_setopt(c, CURLOPT_FORBID_REUSE, 1L);

  CURLcode rc = curl_easy_perform(c);
  const std::string where = UrlForMessages(request.url);
  if (!transfer.refused.ok()) {
    return absl::PermissionDeniedError(
        absl::StrCat(where, ": ", transfer.refused.message()));
  }
  if (transfer.too_large) {
    return absl::UnavailableError(absl::StrCat(
        where, " answered with more than ", kMaxResponseBytes / 1024, " KiB"));
  }
  if (rc == CURLE_URL_MALFORMAT || rc == CURLE_UNSUPPORTED_PROTOCOL) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad URL ", where, ": ", curl_easy_strerror(rc)));
  }
  if (rc != CURLE_OK) {
    return absl::UnavailableError(
        absl::StrCat(where, ": ", curl_easy_strerror(rc)));
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  transfer.response.status = static_cast<int>(status);
  return std::move(transfer.response);
}

constexpr HttpModule kHttpModule = {&CurlPerform};

}  // namespace
}  // namespace mcpcred

MCPCRED_INTERNAL_MODULE(mcpcred::HttpModule, mcpcred::kHttpModule);
