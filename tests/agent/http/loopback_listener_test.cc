#include "agent/http/loopback_listener.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mcpcred {
namespace {

// Sends `request` to 127.0.0.1:port and returns the whole response.
std::string Exchange(int port, const std::string& request) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return "";
  }
  if (write(fd, request.data(), request.size()) < 0) return "";
  std::string response;
  char buffer[1024];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof(buffer))) > 0) response.append(buffer, n);
  close(fd);
  return response;
}

TEST(LoopbackListenerTest, ReturnsTheCallbackQueryAndServesOtherPaths404) {
  LoopbackListener listener;
  absl::StatusOr<int> port = listener.Open();
  ASSERT_TRUE(port.ok()) << port.status();
  EXPECT_EQ(*listener.Open(), *port);  // bound once
  std::string favicon, callback;
  std::thread browser([&] {
    favicon = Exchange(*port, "GET /favicon.ico HTTP/1.1\r\nHost: x\r\n\r\n");
    callback = Exchange(
        *port, "GET /callback?code=abc&state=xyz HTTP/1.1\r\nHost: x\r\n\r\n");
  });
  absl::StatusOr<std::string> query = listener.WaitForCallback(
      "/callback", absl::Seconds(30), [] { return false; });
  browser.join();
  ASSERT_TRUE(query.ok()) << query.status();
  EXPECT_EQ(*query, "code=abc&state=xyz");
  EXPECT_THAT(favicon, ::testing::StartsWith("HTTP/1.1 404"));
  EXPECT_THAT(callback, ::testing::StartsWith("HTTP/1.1 200"));
  EXPECT_THAT(callback, ::testing::HasSubstr("You can close this window"));
}

TEST(LoopbackListenerTest, CancelAndTimeout) {
  LoopbackListener listener;
  ASSERT_TRUE(listener.Open().ok());
  auto cancelled = listener.WaitForCallback("/callback", absl::Seconds(30),
                                            [] { return true; });
  EXPECT_TRUE(absl::IsCancelled(cancelled.status()));
  auto timed_out = listener.WaitForCallback(
      "/callback", absl::Milliseconds(300), [] { return false; });
  EXPECT_TRUE(absl::IsUnavailable(timed_out.status()));
  EXPECT_THAT(timed_out.status().message(), ::testing::HasSubstr("timed out"));
}

TEST(LoopbackListenerTest, ABrowserArrivingAfterTheCancelIsTurnedAway) {
  auto owned = std::make_unique<LoopbackListener>();
  LoopbackListener& listener = *owned;
  absl::StatusOr<int> port = listener.Open();
  ASSERT_TRUE(port.ok());
  std::atomic<bool> cancelled{false};
  std::string answer;
  std::thread browser([&] {
    cancelled = true;  // the cancel lands before the browser connects
    answer = Exchange(*port, "GET /callback?code=a&state=b HTTP/1.1\r\n\r\n");
  });
  // The first check may run before the cancel: the browser's connection
  // is then what wakes the wait, and it must still be refused.
  auto result = listener.WaitForCallback("/callback", absl::Seconds(30),
                                         [&] { return cancelled.load(); });
  // If the wait saw the cancel first, the browser sits in the backlog:
  // closing the listener lets it go.
  owned.reset();
  browser.join();
  EXPECT_TRUE(absl::IsCancelled(result.status()));
  EXPECT_THAT(answer, ::testing::Not(::testing::StartsWith("HTTP/1.1 200")));
}

TEST(LoopbackListenerTest, WaitWithoutOpenIsAnError) {
  LoopbackListener listener;
  auto result = listener.WaitForCallback("/callback", absl::Seconds(1),
                                         [] { return false; });
  EXPECT_TRUE(absl::IsFailedPrecondition(result.status()));
}

}  // namespace
}  // namespace mcpcred

namespace mcpcred {
namespace {

// A held callback: the browser's page waits for the login's outcome.
std::string HeldCallbackPage(bool ok, const std::string& reason) {
  LoopbackListener listener;
  absl::StatusOr<int> port = listener.Open();
  if (!port.ok()) return "";
  std::string page;
  std::thread browser([&] {
    page = Exchange(*port, "GET /callback?code=a&state=b HTTP/1.1\r\n\r\n");
  });
  absl::StatusOr<std::string> query = listener.WaitForCallback(
      "/callback", absl::Seconds(30), [] { return false; }, /*hold=*/true);
  EXPECT_TRUE(query.ok()) << query.status();
  listener.Reply(ok, reason);
  browser.join();
  return page;
}

TEST(LoopbackListenerTest, AHeldCallbackSaysSuccessOnlyAfterReply) {
  std::string page = HeldCallbackPage(true, "");
  EXPECT_THAT(page, ::testing::HasSubstr("the login is complete"));
}

TEST(LoopbackListenerTest, AHeldCallbackGivesTheReasonEscaped) {
  std::string page = HeldCallbackPage(false, "invalid_grant <b>");
  EXPECT_THAT(page, ::testing::HasSubstr("the login failed: invalid_grant "
                                         "&lt;b&gt;"));
  EXPECT_THAT(page, ::testing::Not(::testing::HasSubstr("complete")));
}

TEST(LoopbackListenerTest, AHeldCallbackNeverRepliedToSaysUnknown) {
  std::string page;
  std::thread browser;
  {
    LoopbackListener listener;
    absl::StatusOr<int> port = listener.Open();
    ASSERT_TRUE(port.ok());
    const int p = *port;
    browser = std::thread([&page, p] {
      page = Exchange(p, "GET /callback?x=1 HTTP/1.1\r\n\r\n");
    });
    EXPECT_TRUE(listener
                    .WaitForCallback(
                        "/callback", absl::Seconds(30), [] { return false; },
                        /*hold=*/true)
                    .ok());
  }  // answered when the listener goes away
  browser.join();
  EXPECT_THAT(page, ::testing::HasSubstr("without a result"));
}

TEST(LoopbackListenerTest, BindsThePreferredPortWhenFree) {
  int free_port = 0;
  {
    LoopbackListener probe;
    free_port = *probe.Open();
  }
  LoopbackListener listener;
  EXPECT_EQ(*listener.Open(free_port), free_port);
  LoopbackListener second;  // the port is taken now: another one
  absl::StatusOr<int> other = second.Open(free_port);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(*other, free_port);
}

}  // namespace
}  // namespace mcpcred
