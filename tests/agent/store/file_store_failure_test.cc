// The file store when the disk refuses a write: a read-only directory, a file
// size limit, a full file system. Each must give a clear error, keep the old
// file byte for byte, leave no temporary file, and keep serving old entries.
#include <fcntl.h>
#include <linux/fs.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "agent/store/file_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/store/store_test_util.h"

namespace mcpcred {
namespace {

using ::mcpcred::testing::ReadBytes;
using ::mcpcred::testing::ScratchDir;
using ::testing::HasSubstr;

const StoreKey kOld{"old", "secret", ""};
const StoreKey kNew{"new", "secret", ""};

int CountFiles(const std::string& dir) {
  int n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    (void)entry;
    ++n;
  }
  return n;
}

// Checks what every refused write must leave behind.
void ExpectRefusedAndKept(FileStore& store, const std::string& db,
                          const std::string& before, const absl::Status& put) {
  EXPECT_FALSE(put.ok());
  EXPECT_THAT(put.message(), HasSubstr("cannot save the secret store"));
  EXPECT_THAT(put.message(), HasSubstr("the previous " + db + " is kept"));
  EXPECT_TRUE(ReadBytes(db) == before) << "the old file was changed";
  EXPECT_EQ(CountFiles(std::filesystem::path(db).parent_path()), 2)
      << "a temporary file was left behind";
  EXPECT_EQ(*store.Get(kOld), "old-value");
  EXPECT_TRUE(absl::IsNotFound(store.Get(kNew).status()));
}

// Makes `dir` unwritable even for root: the immutable attribute (as
// `chattr +i`); undone on destruction so the directory can be removed.
class ImmutableDir {
 public:
  explicit ImmutableDir(const std::string& dir)
      : fd_(open(dir.c_str(), O_RDONLY | O_DIRECTORY)) {
    int flags = 0;
    if (fd_ >= 0 && ioctl(fd_, FS_IOC_GETFLAGS, &flags) == 0) {
      flags |= FS_IMMUTABLE_FL;
      ok_ = ioctl(fd_, FS_IOC_SETFLAGS, &flags) == 0;
    }
  }
  ~ImmutableDir() {
    int flags = 0;
    if (ok_ && ioctl(fd_, FS_IOC_GETFLAGS, &flags) == 0) {
      flags &= ~FS_IMMUTABLE_FL;
      ioctl(fd_, FS_IOC_SETFLAGS, &flags);
    }
    if (fd_ >= 0) close(fd_);
  }
  bool ok() const { return ok_; }

 private:
  int fd_;
  bool ok_ = false;
};

class FileStoreFailureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_.Put(kOld, "old-value").ok());
    before_ = ReadBytes(db());
  }
  std::string db() const { return dir_.path() + "/secrets.db"; }

  ScratchDir dir_;
  FileStore store_{FileStoreOptions{dir_.path() + "/secrets.db", {}}};
  std::string before_;
};

TEST_F(FileStoreFailureTest, AReadOnlyDirectoryIsAClearError) {
  std::unique_ptr<ImmutableDir> immutable;
  if (geteuid() == 0) {
    // Root ignores permission bits; only the immutable attribute stops it.
    immutable = std::make_unique<ImmutableDir>(dir_.path());
    if (!immutable->ok()) {
      GTEST_SKIP() << "running as root on a file system without chattr +i: "
                      "cannot make a directory read-only";
    }
  } else {
    ASSERT_EQ(chmod(dir_.path().c_str(), 0500), 0);
  }
  absl::Status put = store_.Put(kNew, "new-value");
  EXPECT_TRUE(absl::IsPermissionDenied(put)) << put;
  ExpectRefusedAndKept(store_, db(), before_, put);
  EXPECT_TRUE(absl::IsPermissionDenied(store_.Delete(kOld)));
  immutable.reset();
  chmod(dir_.path().c_str(), 0700);
  // Writable again, it works again.
  EXPECT_TRUE(store_.Put(kNew, "new-value").ok());
}

TEST_F(FileStoreFailureTest, AFileSizeLimitIsAClearError) {
  // RLIMIT_FSIZE makes write() fail with EFBIG as a full disk makes it fail
  // with ENOSPC, without needing a mount.
  struct rlimit old_limit;
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old_limit), 0);
  sighandler_t old_handler = signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = old_limit;
  small.rlim_cur = before_.size() + 16;
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  absl::Status put = store_.Put(kNew, SecretString(std::string(4096, 'n')));
  setrlimit(RLIMIT_FSIZE, &old_limit);
  signal(SIGXFSZ, old_handler);
  EXPECT_TRUE(absl::IsResourceExhausted(put)) << put;
  EXPECT_THAT(put.message(), HasSubstr("File too large"));
  ExpectRefusedAndKept(store_, db(), before_, put);
}

// Runs `body` in a child process with its own mount namespace and returns
// what it wrote to `out` ("SKIP ..." when it could not set up).
std::string InMountNamespace(const std::function<std::string()>& body) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return "SKIP no pipe";
  pid_t pid = fork();
  if (pid == 0) {
    close(pipe_fds[0]);
    std::string result = body();
    (void)!write(pipe_fds[1], result.data(), result.size());
    _exit(0);
  }
  close(pipe_fds[1]);
  std::string result;
  char buffer[512];
  ssize_t n;
  while ((n = read(pipe_fds[0], buffer, sizeof(buffer))) > 0) {
    result.append(buffer, static_cast<size_t>(n));
  }
  close(pipe_fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return result;
}

TEST(FileStoreFullDiskTest, AFullFileSystemIsAClearError) {
  ScratchDir dir;
  const std::string mount_point = dir.path();
  // A 64 KiB tmpfs in a private mount namespace: a real ENOSPC.
  std::string result = InMountNamespace([&]() -> std::string {
    if (unshare(CLONE_NEWNS) != 0) return "SKIP unshare(CLONE_NEWNS) refused";
    if (mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
        mount("tmpfs", mount_point.c_str(), "tmpfs", 0, "size=64k,mode=700") !=
            0) {
      return "SKIP cannot mount a tmpfs";
    }
    const std::string db = mount_point + "/secrets.db";
    FileStore store(FileStoreOptions{db, {}});
    if (!store.Put(kOld, "old-value").ok()) return "first write failed";
    const std::string before = ReadBytes(db);
    absl::Status put =
        store.Put(kNew, SecretString(std::string(128 << 10, 'n')));
    std::string problems;
    if (!absl::IsResourceExhausted(put)) problems += "wrong code; ";
    if (put.message().find("No space left on device") ==
        absl::string_view::npos)
      problems += "no ENOSPC in the message; ";
    if (put.message().find("is kept") == absl::string_view::npos)
      problems += "does not say the old file is kept; ";
    if (ReadBytes(db) != before) problems += "old file changed; ";
    if (CountFiles(mount_point) != 2) problems += "temporary file left; ";
    if (!store.Get(kOld).ok()) problems += "old entry lost; ";
    return problems.empty() ? "OK" : problems;
  });
  if (result.rfind("SKIP", 0) == 0) GTEST_SKIP() << result;
  EXPECT_EQ(result, "OK");
}

}  // namespace
}  // namespace mcpcred
