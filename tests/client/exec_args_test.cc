#include "exec_args.h"

#include "gtest/gtest.h"

namespace mcpcred::exec {
namespace {

using Args = std::vector<std::string>;

TEST(ParseExecArgsTest, NamesThenCommand) {
  absl::StatusOr<ExecArgs> args =
      ParseExecArgs({"github", "linear", "--", "npx", "-y", "server", "--"});
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_FALSE(args->help);
  EXPECT_EQ(args->names, Args({"github", "linear"}));
  // Everything after the first `--` is COMMAND's, options and `--` included.
  EXPECT_EQ(args->command, Args({"npx", "-y", "server", "--"}));
  EXPECT_EQ(args->socket_path, "");
  EXPECT_EQ(args->min_ttl.count(), 0);
}

TEST(ParseExecArgsTest, OptionsInBothFormsAnywhereBeforeSeparator) {
  absl::StatusOr<ExecArgs> args = ParseExecArgs(
      {"--socket", "/s.sock", "a", "--min-ttl=300", "b", "--", "cmd"});
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_EQ(args->socket_path, "/s.sock");
  EXPECT_EQ(args->min_ttl.count(), 300);
  EXPECT_EQ(args->names, Args({"a", "b"}));
  EXPECT_EQ(args->command, Args({"cmd"}));

  args = ParseExecArgs({"--socket=/t.sock", "--min-ttl", "0", "a", "--", "c"});
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_EQ(args->socket_path, "/t.sock");
}

TEST(ParseExecArgsTest, PassSocketIsOffUnlessGiven) {
  absl::StatusOr<ExecArgs> args = ParseExecArgs({"a", "--", "c"});
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_FALSE(args->pass_socket);

  args = ParseExecArgs({"a", "--pass-socket", "--", "c", "--pass-socket"});
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_TRUE(args->pass_socket);
  EXPECT_EQ(args->names, Args({"a"}));
  EXPECT_EQ(args->command, Args({"c", "--pass-socket"}));
}

TEST(ParseExecArgsTest, Help) {
  for (const char* flag : {"-h", "--help"}) {
    absl::StatusOr<ExecArgs> args = ParseExecArgs({flag});
    ASSERT_TRUE(args.ok());
    EXPECT_TRUE(args->help);
  }
  // After `--`, --help is COMMAND's.
  absl::StatusOr<ExecArgs> args = ParseExecArgs({"a", "--", "x", "--help"});
  ASSERT_TRUE(args.ok());
  EXPECT_FALSE(args->help);
}

TEST(ParseExecArgsTest, UsageErrors) {
  const std::vector<Args> bad = {
      {},                                    // Nothing.
      {"github"},                            // No `--`.
      {"github", "npx"},                     // No `--`.
      {"--", "npx"},                         // No NAME.
      {"github", "--"},                      // No COMMAND.
      {"github", "--", ""},                  // Empty COMMAND.
      {"--bogus", "github", "--", "npx"},    // Unknown option.
      {"-x", "github", "--", "npx"},         // Unknown short option.
      {"--socket"},                          // Missing value.
      {"github", "--socket", "--", "npx"},   // Missing value.
      {"--socket=", "github", "--", "npx"},  // Empty value.
      {"--min-ttl", "-1", "a", "--", "c"},   // Negative.
      {"--min-ttl", "5m", "a", "--", "c"},   // Not a number.
      {"--min-ttl=", "a", "--", "c"},        // Empty number.
      {"--pass-socket=1", "a", "--", "c"},   // A flag takes no value.
  };
  for (const Args& args : bad) {
    absl::StatusOr<ExecArgs> parsed = ParseExecArgs(args);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument)
        << ::testing::PrintToString(args);
  }
}

TEST(ParseExecArgsTest, UsageTextNamesTheSeparator) {
  EXPECT_NE(std::string(ExecUsage()).find("-- COMMAND"), std::string::npos);
}

}  // namespace
}  // namespace mcpcred::exec
