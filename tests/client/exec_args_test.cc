#include "exec_args.h"

#include <csignal>

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

TEST(ParseExecArgsTest, RelayOptions) {
  absl::StatusOr<ExecArgs> args = ParseExecArgs({"a", "--", "cmd"});
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_FALSE(args->relay);
  EXPECT_TRUE(args->mask);
  EXPECT_FALSE(args->min_ttl_given);
  EXPECT_EQ(args->drain_timeout.count(), 30);
  EXPECT_EQ(args->on_rotate, RotateMode::kRestart);

  args = ParseExecArgs({"--relay", "--no-mask", "--drain-timeout=5",
                        "--start-timeout", "7", "--min-ttl", "0",
                        "--on-rotate=signal:SIGUSR1", "a", "--", "cmd",
                        "--relay"});
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_TRUE(args->relay);
  EXPECT_FALSE(args->mask);
  EXPECT_TRUE(args->min_ttl_given);
  EXPECT_EQ(args->drain_timeout.count(), 5);
  EXPECT_EQ(args->start_timeout.count(), 7);
  EXPECT_EQ(args->on_rotate, RotateMode::kSignal);
  EXPECT_EQ(args->rotate_signal, SIGUSR1);
  EXPECT_EQ(args->command, Args({"cmd", "--relay"}));

  args = ParseExecArgs({"--on-rotate", "signal:HUP", "a", "--", "c"});
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_EQ(args->rotate_signal, SIGHUP);
  args = ParseExecArgs({"--on-rotate=none", "a", "--", "c"});
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_EQ(args->on_rotate, RotateMode::kNone);
}

TEST(ParseExecArgsTest, BadRelayOptions) {
  for (const Args& bad : {Args{"--on-rotate=reload", "a", "--", "c"},
                          Args{"--on-rotate=signal:NOPE", "a", "--", "c"},
                          Args{"--drain-timeout=-1", "a", "--", "c"},
                          Args{"--start-timeout", "soon", "a", "--", "c"},
                          Args{"--relay=yes", "a", "--", "c"}}) {
    absl::StatusOr<ExecArgs> args = ParseExecArgs(bad);
    EXPECT_EQ(args.status().code(), absl::StatusCode::kInvalidArgument)
        << bad[0];
  }
}

}  // namespace
}  // namespace mcpcred::exec
