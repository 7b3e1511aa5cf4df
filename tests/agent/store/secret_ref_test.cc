#include "agent/store/secret_ref.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "absl/strings/str_cat.h"
#include "agent/store/memory_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mcpcred {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string WriteFile(const std::string& name, const std::string& content,
                      mode_t mode) {
  std::string path = ::testing::TempDir() + "/" + name;
  std::remove(path.c_str());
  std::ofstream(path) << content;
  chmod(path.c_str(), mode);
  return path;
}

TEST(SecretRefTest, RecognisesReferences) {
  EXPECT_TRUE(IsSecretRef("env:X"));
  EXPECT_TRUE(IsSecretRef("file:/x"));
  EXPECT_TRUE(IsSecretRef("keyring:x"));
  EXPECT_FALSE(IsSecretRef("ghp_literal"));
}

TEST(SecretRefTest, EnvVariable) {
  setenv("MCPCRED_REF_TEST", "v4lue", 1);
  EXPECT_EQ(*ResolveSecretRef("env:MCPCRED_REF_TEST", nullptr), "v4lue");
  unsetenv("MCPCRED_REF_TEST");
  auto missing = ResolveSecretRef("env:MCPCRED_REF_TEST", nullptr);
  EXPECT_TRUE(absl::IsNotFound(missing.status()));
  EXPECT_THAT(missing.status().message(),
              HasSubstr("environment variable MCPCRED_REF_TEST is not set"));
}

TEST(SecretRefTest, FileStripsOneTrailingNewline) {
  std::string path = WriteFile("secret-ok", "line-secret\n", 0600);
  EXPECT_EQ(*ResolveSecretRef("file:" + path, nullptr), "line-secret");
  path = WriteFile("secret-crlf", "crlf-secret\r\n", 0600);
  EXPECT_EQ(*ResolveSecretRef("file:" + path, nullptr), "crlf-secret");
}

TEST(SecretRefTest, FileReadableByOthersIsRefusedWithoutLeakingIt) {
  std::string path = WriteFile("secret-open", "do-not-show-me\n", 0644);
  auto result = ResolveSecretRef("file:" + path, nullptr);
  EXPECT_TRUE(absl::IsPermissionDenied(result.status()));
  EXPECT_THAT(result.status().message(),
              HasSubstr("readable by group or others: run 'chmod 600"));
  EXPECT_THAT(result.status().message(), Not(HasSubstr("do-not-show-me")));
}

TEST(SecretRefTest, NulInAFilePathIsRefused) {
  // open() would stop at the NUL and read another file than the one named.
  std::string path = WriteFile("secret-nul", "cut-here\n", 0600);
  auto result =
      ResolveSecretRef("file:" + path + std::string("\0.bak", 5), nullptr);
  EXPECT_TRUE(absl::IsInvalidArgument(result.status())) << result.status();
  EXPECT_THAT(result.status().message(), HasSubstr("NUL"));
}

// A FIFO used to block open() forever: in a reload, that was the signal
// thread, and SIGTERM was never handled again.
TEST(SecretRefTest, FifoIsRefusedWithoutBlocking) {
  std::string path = ::testing::TempDir() + "/secret-fifo";
  std::remove(path.c_str());
  ASSERT_EQ(mkfifo(path.c_str(), 0600), 0);
  std::promise<absl::Status> done;
  std::future<absl::Status> result = done.get_future();
  std::thread([&done, path] {
    done.set_value(ResolveSecretRef("file:" + path, nullptr).status());
  }).detach();
  if (result.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
    // Let the blocked reader go before failing, or the test hangs.
    int writer = open(path.c_str(), O_WRONLY | O_NONBLOCK);
    if (writer >= 0) close(writer);
    result.wait();
    FAIL() << "reading a FIFO secret blocked";
  }
  absl::Status status = result.get();
  EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
  EXPECT_THAT(status.message(), HasSubstr("is not a regular file"));
}

// What another local user does to a root agent's file: secret: plant their
// own file where it is expected, or a link from there to a file of theirs.
TEST(SecretRefTest, FileOfAnotherUserIsRefusedEvenThroughALink) {
  const struct passwd* nobody = getpwnam("nobody");
  if (geteuid() != 0 || nobody == nullptr ||
      std::system("command -v setpriv >/dev/null") != 0) {
    GTEST_SKIP() << "needs root and setpriv to act as nobody";
  }
  std::string dir = ::testing::TempDir() + "/secret-drop";
  std::filesystem::remove_all(dir);
  ASSERT_EQ(mkdir(dir.c_str(), 0700), 0);
  ASSERT_EQ(chmod(dir.c_str(), 01777), 0);
  const std::string as_nobody =
      "setpriv --reuid=nobody --regid=nogroup --clear-groups sh -c "
      "'umask 077 && echo attacker-value > " +
      dir + "/theirs && ln -s " + dir + "/theirs " + dir + "/link'";
  ASSERT_EQ(std::system(as_nobody.c_str()), 0);

  for (const std::string name : {"theirs", "link"}) {
    SCOPED_TRACE(name);
    auto result = ResolveSecretRef("file:" + dir + "/" + name, nullptr);
    EXPECT_TRUE(absl::IsPermissionDenied(result.status())) << result.status();
    EXPECT_THAT(result.status().message(),
                HasSubstr(absl::StrCat("belongs to uid ", nobody->pw_uid)));
    EXPECT_THAT(result.status().message(), Not(HasSubstr("attacker-value")));
  }
  // A link of yours to a file of yours is fine.
  std::string mine = WriteFile("secret-drop/mine", "my-value\n", 0600);
  ASSERT_EQ(symlink(mine.c_str(), (dir + "/my-link").c_str()), 0);
  EXPECT_EQ(*ResolveSecretRef("file:" + dir + "/my-link", nullptr), "my-value");
  std::filesystem::remove_all(dir);
}

TEST(SecretRefTest, MissingAndEmptyFiles) {
  auto missing = ResolveSecretRef("file:/nonexistent/x", nullptr);
  EXPECT_TRUE(absl::IsNotFound(missing.status()));
  std::string path = WriteFile("secret-empty", "\n", 0600);
  auto empty = ResolveSecretRef("file:" + path, nullptr);
  EXPECT_TRUE(absl::IsInvalidArgument(empty.status()));
  EXPECT_THAT(empty.status().message(), HasSubstr("is empty"));
}

TEST(SecretRefTest, FileTildeExpandsToHome) {
  std::string home = ::testing::TempDir() + "/fakehome";
  mkdir(home.c_str(), 0700);
  setenv("HOME", home.c_str(), 1);
  WriteFile("fakehome/key", "home-secret", 0600);
  EXPECT_EQ(*ResolveSecretRef("file:~/key", nullptr), "home-secret");
}

TEST(SecretRefTest, KeyringReadsTheStore) {
  MemoryStore store;
  auto missing = ResolveSecretRef("keyring:linear", &store);
  EXPECT_THAT(missing.status().message(),
              HasSubstr("run 'mcpcred add linear'"));
  ASSERT_TRUE(store.Put({"linear", "secret", ""}, "lin").ok());
  EXPECT_EQ(*ResolveSecretRef("keyring:linear", &store), "lin");
}

TEST(SecretRefTest, LiteralIsNotAReference) {
  auto result = ResolveSecretRef("sk-literal", nullptr);
  EXPECT_TRUE(absl::IsInvalidArgument(result.status()));
  EXPECT_THAT(result.status().message(), Not(HasSubstr("sk-literal")));
}

}  // namespace
}  // namespace mcpcred
