// CheckSocketDirectories on real directories below a fresh one in /tmp.
#include "mcpcred/common/safe_path.h"

#include <pwd.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace mcpcred {
namespace {

using ::absl::StatusCode;

class SafePathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/mcpcred-safe-path-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // Makes dir_/`relative` with exactly `mode`; returns its path.
  std::string MakeDir(const std::string& relative, mode_t mode = 0700) {
    std::string path = dir_ + "/" + relative;
    EXPECT_EQ(mkdir(path.c_str(), 0700), 0) << path;
    EXPECT_EQ(chmod(path.c_str(), mode), 0) << path;
    return path;
  }
  void MakeLink(const std::string& target, const std::string& relative) {
    std::string path = dir_ + "/" + relative;
    ASSERT_EQ(symlink(target.c_str(), path.c_str()), 0) << path;
  }

  // /tmp is usually root's, 1777: a shared, sticky directory.
  static bool TmpIsRootsAndSticky() {
    struct stat st;
    return stat("/tmp", &st) == 0 && st.st_uid == 0 &&
           (st.st_mode & 07777) == 01777;
  }

  std::string dir_;
};

TEST_F(SafePathTest, PrivateDirectoriesBelowTmpAreSafe) {
  if (!TmpIsRootsAndSticky()) GTEST_SKIP() << "/tmp is not root's and 1777";
  MakeDir("a", 0755);
  MakeDir("a/sock");

  EXPECT_TRUE(CheckSocketDirectories(dir_ + "/a/sock/agent.sock").ok());
}

TEST_F(SafePathTest, AGroupOrOtherWritableAncestorIsRefused) {
  for (mode_t mode : {0770, 0757, 0777}) {
    SCOPED_TRACE(absl::StrCat("mode ", absl::Hex(mode)));
    std::string parent = MakeDir("p", mode);
    MakeDir("p/sock");

    absl::Status status = CheckSocketDirectories(parent + "/sock/agent.sock");

    EXPECT_EQ(status.code(), StatusCode::kPermissionDenied) << status;
    EXPECT_TRUE(absl::StartsWith(
        status.message(), "unsafe socket path: " + parent + " is writable"))
        << status;
    EXPECT_TRUE(absl::StrContains(status.message(), "chmod go-w " + parent))
        << status;
    std::filesystem::remove_all(parent);
  }
}

TEST_F(SafePathTest, AWritableSocketDirectoryIsRefused) {
  std::string sock = MakeDir("sock", 0722);

  absl::Status status = CheckSocketDirectories(sock + "/agent.sock");

  EXPECT_EQ(status.code(), StatusCode::kPermissionDenied) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "chmod go-w " + sock))
      << status;
}

TEST_F(SafePathTest, ARootOwnedStickyDirectoryIsNoPlaceForTheSocketItself) {
  if (!TmpIsRootsAndSticky()) GTEST_SKIP() << "/tmp is not root's and 1777";

  absl::Status status = CheckSocketDirectories("/tmp/agent.sock");

  EXPECT_EQ(status.code(), StatusCode::kPermissionDenied) << status;
  EXPECT_TRUE(absl::StartsWith(status.message(),
                               "unsafe socket path: /tmp (mode 1777)"))
      << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "a directory of its own"))
      << status;
}

TEST_F(SafePathTest, AStickyAncestorMustBeRoots) {
  MakeDir("shared", 01777);
  MakeDir("shared/sock");

  absl::Status status = CheckSocketDirectories(dir_ + "/shared/sock/a.sock");

  // Root's own sticky directory is the /tmp case; anyone else's is not.
  if (geteuid() == 0) {
    EXPECT_TRUE(status.ok()) << status;
  } else {
    EXPECT_EQ(status.code(), StatusCode::kPermissionDenied) << status;
  }
}

TEST_F(SafePathTest, ADirectoryOfAnotherUserIsRefused) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to chown to nobody";
  struct passwd* nobody = getpwnam("nobody");
  ASSERT_NE(nobody, nullptr);
  std::string parent = MakeDir("p", 0755);
  MakeDir("p/sock");
  ASSERT_EQ(chown(parent.c_str(), nobody->pw_uid, nobody->pw_gid), 0);

  absl::Status status = CheckSocketDirectories(parent + "/sock/agent.sock");

  EXPECT_EQ(status.code(), StatusCode::kPermissionDenied) << status;
  EXPECT_TRUE(absl::StrContains(
      status.message(), absl::StrCat(parent, " belongs to uid ", nobody->pw_uid,
                                     ", neither you (uid 0)")))
      << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "chown 0 " + parent))
      << status;
}

TEST_F(SafePathTest, LinksAreFollowedAndWhereTheyLeadIsChecked) {
  MakeDir("real");
  MakeDir("open", 0777);
  MakeDir("open/sock");
  MakeLink("real", "to-real");
  MakeLink(dir_ + "/open/sock", "to-open");  // absolute

  EXPECT_TRUE(CheckSocketDirectories(dir_ + "/to-real/agent.sock").ok());
  absl::Status status = CheckSocketDirectories(dir_ + "/to-open/agent.sock");
  EXPECT_EQ(status.code(), StatusCode::kPermissionDenied) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), dir_ + "/open is writable"))
      << status;
}

TEST_F(SafePathTest, DotDotAfterALinkClimbsFromItsTarget) {
  MakeDir("open", 0777);
  MakeDir("open/deep");
  MakeDir("safe");
  MakeLink("../open/deep", "safe/link");

  // safe/link/.. is open, not safe.
  absl::Status status =
      CheckSocketDirectories(dir_ + "/safe/link/../agent.sock");

  EXPECT_EQ(status.code(), StatusCode::kPermissionDenied) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), dir_ + "/open is writable"))
      << status;
}

TEST_F(SafePathTest, AMissingDirectoryOrAFileIsNotFound) {
  std::ofstream(dir_ + "/file") << "x";

  EXPECT_EQ(CheckSocketDirectories(dir_ + "/missing/agent.sock").code(),
            StatusCode::kNotFound);
  EXPECT_EQ(CheckSocketDirectories(dir_ + "/file/agent.sock").code(),
            StatusCode::kNotFound);
}

TEST_F(SafePathTest, ALinkLoopIsAnError) {
  MakeLink("two", "one");
  MakeLink("one", "two");

  absl::Status status = CheckSocketDirectories(dir_ + "/one/agent.sock");

  EXPECT_FALSE(status.ok());
  EXPECT_TRUE(absl::StrContains(status.message(), dir_)) << status;
}

TEST_F(SafePathTest, ARelativePathStartsAtTheWorkingDirectory) {
  MakeDir("open", 0777);
  MakeDir("open/sock");
  char* cwd = getcwd(nullptr, 0);
  ASSERT_NE(cwd, nullptr);
  ASSERT_EQ(chdir(dir_.c_str()), 0);

  absl::Status relative = CheckSocketDirectories("open/sock/agent.sock");
  absl::Status bare = CheckSocketDirectories("agent.sock");

  ASSERT_EQ(chdir(cwd), 0);
  free(cwd);
  EXPECT_EQ(relative.code(), StatusCode::kPermissionDenied) << relative;
  EXPECT_TRUE(absl::StrContains(relative.message(), dir_ + "/open is writable"))
      << relative;
  EXPECT_TRUE(bare.ok()) << bare;
}

TEST_F(SafePathTest, AnEmptyPathIsInvalid) {
  EXPECT_EQ(CheckSocketDirectories("").code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace mcpcred
