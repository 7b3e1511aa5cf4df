#include "agent/http/loopback_listener.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace mcpcred {
namespace {

constexpr size_t kMaxRequestBytes = 16 * 1024;
constexpr char kDonePage[] =
    "<!doctype html><meta charset=utf-8><title>mcpcred</title>"
    "<p>mcpcred: the login is complete. You can close this window.</p>";

constexpr char kUnknownPage[] =
    "<!doctype html><meta charset=utf-8><title>mcpcred</title>"
    "<p>mcpcred: the login ended without a result; see the terminal that "
    "ran 'mcpcred login'.</p>";

std::string HtmlEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

void Answer(int fd, const char* status, const std::string& body) {
  std::string response = absl::StrCat(
      "HTTP/1.1 ", status,
      "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ",
      body.size(), "\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
      body);
  ssize_t ignored = send(fd, response.data(), response.size(), MSG_NOSIGNAL);
  (void)ignored;
}

}  // namespace

LoopbackListener::~LoopbackListener() {
  if (held_ >= 0) {
    Answer(held_, "200 OK", kUnknownPage);
    close(held_);
  }
  if (fd_ >= 0) close(fd_);
}

void LoopbackListener::Reply(bool ok, const std::string& reason) {
  if (held_ < 0) return;
  Answer(held_, "200 OK",
         ok ? std::string(kDonePage)
            : absl::StrCat("<!doctype html><meta charset=utf-8>"
                           "<title>mcpcred</title><p>mcpcred: the "
                           "login failed: ",
                           HtmlEscape(reason), "</p>"));
  close(held_);
  held_ = -1;
}

absl::StatusOr<int> LoopbackListener::Open(int preferred_port) {
  if (fd_ >= 0) return port_;
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::InternalError(strerror(errno));
  // The last login's connections linger in TIME_WAIT on the port a client
  // registered; without this its next login could not bind it again. Linux
  // still refuses a second listener on a port in use.
  int one = 1;
  (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool bound = false;
  if (preferred_port > 0 && preferred_port < 65536) {
    addr.sin_port = htons(static_cast<uint16_t>(preferred_port));
    bound = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if ((!bound &&
       bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) ||
      listen(fd, 8) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    int err = errno;
    close(fd);
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on 127.0.0.1 for the login redirect: ", strerror(err)));
  }
  fd_ = fd;
  port_ = ntohs(addr.sin_port);
  return port_;
}

bool LoopbackListener::ServeOne(int fd, const std::string& path, bool hold,
                                std::string* query) {
  std::string request;
  char buffer[2048];
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  while (request.find("\r\n\r\n") == std::string::npos &&
         request.size() < kMaxRequestBytes && absl::Now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 200) <= 0) continue;
    ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) break;
    request.append(buffer, static_cast<size_t>(n));
  }
  // "GET /callback?code=...&state=... HTTP/1.1"
  size_t line_end = request.find("\r\n");
  std::string line = request.substr(0, line_end);
  if (!absl::StartsWith(line, "GET ")) {
    Answer(fd, "405 Method Not Allowed", "");
    return false;
  }
  size_t target_end = line.find(' ', 4);
  std::string target = line.substr(
      4, target_end == std::string::npos ? std::string::npos : target_end - 4);
  size_t question = target.find('?');
  std::string target_path = target.substr(0, question);
  if (target_path != path) {
    Answer(fd, "404 Not Found", "");
    return false;
  }
  *query = question == std::string::npos ? "" : target.substr(question + 1);
  if (!hold) Answer(fd, "200 OK", kDonePage);
  return true;
}

absl::StatusOr<std::string> LoopbackListener::WaitForCallback(
    const std::string& path, absl::Duration timeout,
    const std::function<bool()>& cancelled, bool hold) {
  if (fd_ < 0) {
    return absl::FailedPreconditionError("the redirect listener is not open");
  }
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    if (cancelled()) return absl::CancelledError("the login was cancelled");
    if (absl::Now() >= deadline) {
      return absl::UnavailableError(absl::StrCat("no browser came back within ",
                                                 absl::ToInt64Seconds(timeout),
                                                 " s: the login timed out"));
    }
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, 200) <= 0) continue;
    int client = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    // The person may have cancelled while the browser was on its way: a
    // cancelled login must not complete.
    if (cancelled()) {
      Answer(client, "410 Gone",
             "<!doctype html><p>mcpcred: this login was cancelled.</p>");
      close(client);
      return absl::CancelledError("the login was cancelled");
    }
    std::string query;
    bool done = ServeOne(client, path, hold, &query);
    if (done && hold) {
      if (held_ >= 0) {  // a second callback: the first gets the verdict
        Answer(held_, "200 OK", kUnknownPage);
        close(held_);
      }
      held_ = client;
      return query;
    }
    close(client);
    if (done) return query;
  }
}

}  // namespace mcpcred
