// The command line of mcpcred-remote, and host message classification.
#include "remote_args.h"

#include "gtest/gtest.h"
#include "host_message.h"

namespace mcpcred::remote {
namespace {

TEST(RemoteArgsTest, NameAndUrl) {
  absl::StatusOr<RemoteArgs> args = ParseRemoteArgs(
      {"--socket", "/s", "--open", "linear", "https://mcp.example/mcp"});
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_EQ(args->socket_path, "/s");
  EXPECT_TRUE(args->open_browser);
  EXPECT_EQ(args->name, "linear");
  EXPECT_EQ(args->url, "https://mcp.example/mcp");
  args = ParseRemoteArgs({"linear", "--socket=/t", "http://127.0.0.1:8/mcp"});
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_EQ(args->socket_path, "/t");
  EXPECT_FALSE(args->open_browser);
}

TEST(RemoteArgsTest, Help) {
  absl::StatusOr<RemoteArgs> args = ParseRemoteArgs({"x", "--help"});
  ASSERT_TRUE(args.ok());
  EXPECT_TRUE(args->help);
}

TEST(RemoteArgsTest, UsageErrors) {
  for (const std::vector<std::string>& argv :
       std::vector<std::vector<std::string>>{
           {},
           {"linear"},
           {"linear", "ftp://h/x"},
           {"linear", "not a url"},
           {"linear", "https://h/", "extra"},
           {"--bogus", "linear", "https://h/"},
           {"--socket"},
           {"--socket=", "linear", "https://h/"}}) {
    absl::StatusOr<RemoteArgs> args = ParseRemoteArgs(argv);
    EXPECT_EQ(args.status().code(), absl::StatusCode::kInvalidArgument)
        << testing::PrintToString(argv);
  }
  EXPECT_NE(ParseRemoteArgs({"linear"}).status().message().find("URL"),
            std::string::npos);
}

TEST(HostMessageTest, Kinds) {
  absl::StatusOr<HostMessage> request =
      ParseHostMessage(R"({"jsonrpc":"2.0","id":"a","method":"initialize"})");
  ASSERT_TRUE(request.ok());
  EXPECT_TRUE(request->is_request());
  EXPECT_TRUE(request->is_initialize());
  EXPECT_EQ(request->id, "a");
  absl::StatusOr<HostMessage> notification =
      ParseHostMessage(R"({"jsonrpc":"2.0","method":"notifications/x"})");
  ASSERT_TRUE(notification.ok());
  EXPECT_FALSE(notification->is_request());
  absl::StatusOr<HostMessage> response =
      ParseHostMessage(R"({"jsonrpc":"2.0","id":3,"result":{}})");
  ASSERT_TRUE(response.ok());
  EXPECT_FALSE(response->is_request());
  EXPECT_TRUE(response->has_id);
  EXPECT_FALSE(ParseHostMessage("[1]").ok());
  EXPECT_FALSE(ParseHostMessage("{").ok());
  EXPECT_FALSE(ParseHostMessage(R"({"jsonrpc":"2.0"})").ok());
}

TEST(HostMessageTest, ResponsesAndErrors) {
  nlohmann::json response = {{"jsonrpc", "2.0"}, {"id", 7}, {"result", {}}};
  EXPECT_TRUE(IsResponseTo(response, 7));
  EXPECT_FALSE(IsResponseTo(response, "7"));
  EXPECT_FALSE(IsResponseTo({{"id", 7}, {"method", "x"}}, 7));
  nlohmann::json error = nlohmann::json::parse(ErrorResponse(7, -32001, "m"));
  EXPECT_EQ(error["error"]["code"], -32001);
  EXPECT_EQ(error["id"], 7);
}

}  // namespace
}  // namespace mcpcred::remote
