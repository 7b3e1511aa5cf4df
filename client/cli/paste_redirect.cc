#include "paste_redirect.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "plugins/oauth2/discovery/form_encoding.h"

namespace mcpcred::cli {
namespace {

constexpr char kLoopbackPrefix[] = "http://127.0.0.1:";

// The page's text: tags dropped, entities left as they are.
std::string PageText(const std::string& response) {
  size_t body = response.find("\r\n\r\n");
  std::string text;
  bool in_tag = false;
  for (size_t i = body == std::string::npos ? 0 : body + 4; i < response.size();
       ++i) {
    char c = response[i];
    if (c == '<') {
      in_tag = true;
    } else if (c == '>') {
      in_tag = false;
    } else if (!in_tag) {
      text += c;
    }
  }
  return std::string(absl::StripAsciiWhitespace(text));
}

}  // namespace

absl::StatusOr<std::string> LoopbackRedirectUri(const std::string& auth_url) {
  size_t question = auth_url.find('?');
  if (question != std::string::npos) {
    std::string uri =
        oauth2::ParseQuery(auth_url.substr(question + 1))["redirect_uri"];
    if (absl::StartsWith(uri, kLoopbackPrefix)) return uri;
  }
  return absl::InvalidArgumentError(
      "the login URL has no loopback redirect_uri: --paste cannot finish it");
}

absl::StatusOr<std::string> DeliverPastedRedirect(
    const std::string& redirect_uri, const std::string& pasted) {
  std::string address(absl::StripAsciiWhitespace(pasted));
  if (!absl::StartsWith(address, redirect_uri + "?")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "that is not the address the login ends on: it starts with ",
        redirect_uri, "?"));
  }
  absl::string_view rest =
      absl::string_view(redirect_uri).substr(sizeof(kLoopbackPrefix) - 1);
  size_t slash = rest.find('/');
  int port = 0;
  if (slash == absl::string_view::npos ||
      !absl::SimpleAtoi(rest.substr(0, slash), &port) || port <= 0 ||
      port > 65535) {
    return absl::InvalidArgumentError("the redirect address has no port");
  }
  std::string target = address.substr(sizeof(kLoopbackPrefix) - 1 + slash);
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 ||
      connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    if (fd >= 0) close(fd);
    return absl::UnavailableError(
        "the agent's redirect listener does not answer (the login may have "
        "timed out)");
  }
  std::string request = absl::StrCat("GET ", target,
                                     " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                     "Connection: close\r\n\r\n");
  std::string response;
  if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
      static_cast<ssize_t>(request.size())) {
    char buffer[2048];
    ssize_t n;
    while ((n = recv(fd, buffer, sizeof(buffer), 0)) > 0) {
      response.append(buffer, static_cast<size_t>(n));
    }
  }
  close(fd);
  if (response.empty()) {
    return absl::UnavailableError(
        "the agent's redirect listener gave no answer");
  }
  return PageText(response);
}

}  // namespace mcpcred::cli
