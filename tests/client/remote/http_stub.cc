#include "tests/client/remote/http_stub.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

namespace mcpcred::remote::testing {
namespace {

void WriteAll(int fd, const std::string& data) {
  for (size_t done = 0; done < data.size();) {
    ssize_t wrote =
        send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (wrote <= 0) return;
    done += static_cast<size_t>(wrote);
  }
}

}  // namespace

std::string StubRequest::Header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

StubResponse Json(int status, const std::string& body,
                  std::vector<std::pair<std::string, std::string>> headers) {
  StubResponse response;
  response.status = status;
  response.headers = std::move(headers);
  response.headers.emplace_back("Content-Type", "application/json");
  response.chunks = {body};
  return response;
}

StubResponse Sse(std::vector<std::string> chunks,
                 std::vector<std::pair<std::string, std::string>> headers) {
  StubResponse response;
  response.headers = std::move(headers);
  response.headers.emplace_back("Content-Type", "text/event-stream");
  response.chunks = std::move(chunks);
  response.pause = absl::Milliseconds(5);
  return response;
}

HttpStub::HttpStub(Handler handler) : handler_(std::move(handler)) {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (listen_fd_ < 0 ||
      bind(listen_fd_, reinterpret_cast<sockaddr*>(&address),
           sizeof(address)) != 0 ||
      listen(listen_fd_, 64) != 0) {
    std::abort();
  }
  socklen_t length = sizeof(address);
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  accept_thread_ = std::thread([this] { Accept(); });
}

HttpStub::~HttpStub() {
  shutdown(listen_fd_, SHUT_RDWR);
  accept_thread_.join();
  close(listen_fd_);
  std::vector<std::thread> threads;
  {
    absl::MutexLock lock(&mu_);
    threads.swap(threads_);
  }
  for (std::thread& thread : threads) thread.join();
}

std::string HttpStub::Url(const std::string& path) const {
  return absl::StrCat("http://127.0.0.1:", port_, path);
}

std::vector<StubRequest> HttpStub::requests() const {
  absl::MutexLock lock(&mu_);
  return requests_;
}

void HttpStub::Accept() {
  for (;;) {
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) return;
    absl::MutexLock lock(&mu_);
    threads_.emplace_back([this, fd] { Serve(fd); });
  }
}

void HttpStub::Serve(int fd) {
  std::string data;
  char buffer[8192];
  size_t head_end = std::string::npos;
  while ((head_end = data.find("\r\n\r\n")) == std::string::npos) {
    ssize_t got = recv(fd, buffer, sizeof(buffer), 0);
    if (got <= 0) {
      close(fd);
      return;
    }
    data.append(buffer, static_cast<size_t>(got));
  }
  StubRequest request;
  std::vector<std::string> lines =
      absl::StrSplit(data.substr(0, head_end), "\r\n");
  std::vector<std::string> start = absl::StrSplit(lines[0], ' ');
  request.method = start[0];
  request.target = start.size() > 1 ? start[1] : "";
  for (size_t i = 1; i < lines.size(); ++i) {
    size_t colon = lines[i].find(':');
    if (colon == std::string::npos) continue;
    request.headers[absl::AsciiStrToLower(lines[i].substr(0, colon))] =
        std::string(absl::StripAsciiWhitespace(lines[i].substr(colon + 1)));
  }
  size_t length = 0;
  (void)absl::SimpleAtoi(request.Header("content-length"), &length);
  request.body = data.substr(head_end + 4);
  while (request.body.size() < length) {
    ssize_t got = recv(fd, buffer, sizeof(buffer), 0);
    if (got <= 0) break;
    request.body.append(buffer, static_cast<size_t>(got));
  }
  {
    absl::MutexLock lock(&mu_);
    requests_.push_back(request);
  }
  StubResponse response = handler_(request);
  std::string head = absl::StrCat("HTTP/1.1 ", response.status, " Stub\r\n");
  for (const auto& [name, value] : response.headers) {
    absl::StrAppend(&head, name, ": ", value, "\r\n");
  }
  absl::StrAppend(&head, "Connection: close\r\n\r\n");
  WriteAll(fd, head);
  for (const std::string& chunk : response.chunks) {
    absl::SleepFor(response.pause);
    WriteAll(fd, chunk);
  }
  shutdown(fd, SHUT_WR);
  close(fd);
}

}  // namespace mcpcred::remote::testing
