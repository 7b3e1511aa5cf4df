#include "agent/policy/audit_log.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace mcpcred {
namespace {

TEST(AuditLogTest, AppendsOneJsonLinePerEventInAPrivateFile) {
  std::string dir = ::testing::TempDir() + "/audit-test/state";
  std::string path = dir + "/audit.log";
  std::remove(path.c_str());
  auto log = AuditLog::Open(path);
  ASSERT_TRUE(log.ok()) << log.status();
  PeerCredentials peer{1234, 1000, 1000, "/usr/bin/node"};
  (*log)->Append({absl::FromUnixSeconds(1800000000), peer, "github", "ok"});
  (*log)->Append({absl::FromUnixSeconds(1800000001), peer, "x", "NOT_FOUND"});

  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);

  std::ifstream in(path);
  std::string line;
  std::vector<nlohmann::json> lines;
  while (std::getline(in, line)) lines.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["credential"], "github");
  EXPECT_EQ(lines[0]["pid"], 1234);
  EXPECT_EQ(lines[0]["uid"], 1000);
  EXPECT_EQ(lines[0]["exe"], "/usr/bin/node");
  EXPECT_EQ(lines[0]["outcome"], "ok");
  EXPECT_EQ(lines[0]["time"], "2027-01-15T08:00:00.000Z");
  EXPECT_EQ(lines[1]["outcome"], "NOT_FOUND");
}

// A fresh directory for one test's log.
std::string FreshDir(const std::string& name) {
  std::string dir = ::testing::TempDir() + "/audit-test-" + name;
  std::filesystem::remove_all(dir);
  EXPECT_TRUE(std::filesystem::create_directories(dir));
  chmod(dir.c_str(), 0700);
  return dir;
}

TEST(AuditLogTest, RotatesToDotOneWhenFull) {
  std::string path = FreshDir("rotate") + "/audit.log";
  const AuditEvent event{absl::UnixEpoch(), {1, 2, 3, "/bin/x"}, "gh", "ok"};
  const size_t line = AuditLog::Format(event).size() + 1;
  auto log = AuditLog::Open(path, /*max_bytes=*/10 * line);
  ASSERT_TRUE(log.ok()) << log.status();
  for (int i = 0; i < 25; ++i) (*log)->Append(event);

  // 25 lines: two full files of 10 behind, the newest 5 in the log.
  EXPECT_EQ(std::filesystem::file_size(path + ".1"), 10 * line);
  EXPECT_EQ(std::filesystem::file_size(path), 5 * line);
  EXPECT_FALSE(std::filesystem::exists(path + ".2"));
  EXPECT_EQ((*log)->error(), "");
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(AuditLogTest, AFullDiskIsReportedNotSilent) {
  std::string path = FreshDir("full") + "/audit.log";
  // /dev/full: every write fails with ENOSPC, as on a full file system.
  ASSERT_EQ(symlink("/dev/full", path.c_str()), 0);
  auto log = AuditLog::Open(path);
  ASSERT_TRUE(log.ok()) << log.status();
  EXPECT_EQ((*log)->error(), "");

  (*log)->Append({absl::UnixEpoch(), {}, "gh", "ok"});

  EXPECT_EQ((*log)->error(),
            "cannot write audit log " + path + ": No space left on device");
}

TEST(AuditLogTest, InvalidUtf8InANameDoesNotBreakTheLine) {
  std::string line = AuditLog::Format(
      {absl::UnixEpoch(), {}, std::string("bad\xff\xfe"), "NOT_FOUND"});
  nlohmann::json parsed = nlohmann::json::parse(line, nullptr, false);
  EXPECT_FALSE(parsed.is_discarded()) << line;
}

TEST(AuditLogTest, EscapesQuotesAndControlCharactersAndFormatsMillis) {
  PeerCredentials peer{7, 1000, 1000, "/opt/we\"ird\\path\n"};
  std::string line = AuditLog::Format(
      {absl::FromUnixMillis(1800000000007), peer, "a\"b", "ok"});
  nlohmann::json parsed = nlohmann::json::parse(line, nullptr, false);
  ASSERT_FALSE(parsed.is_discarded()) << line;
  EXPECT_EQ(parsed["exe"], "/opt/we\"ird\\path\n");
  EXPECT_EQ(parsed["credential"], "a\"b");
  EXPECT_EQ(parsed["time"], "2027-01-15T08:00:00.007Z");
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace mcpcred
