// Loading the agent's internal modules: the one that fits is loaded once;
// every one that does not gives one line naming the file and why.
#include "agent/util/internal_module.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/util/testing_module.h"

namespace mcpcred::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Each test gets a fresh module directory (0700) holding what it copies in.
class InternalModuleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const ::testing::TestInfo* info =
        ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = ::testing::TempDir() + "/modules-" + info->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    chmod(dir_.c_str(), 0700);
    SetInternalModuleDir(dir_);
  }
  void Install(const std::string& from) {
    std::filesystem::copy_file(from, path());
    chmod(path().c_str(), 0755);
  }
  std::string path() const { return dir_ + "/testing.so"; }
  std::string Error() const {
    absl::StatusOr<const TestingModule*> module =
        LoadInternalModule<TestingModule>();
    EXPECT_FALSE(module.ok());
    EXPECT_EQ(module.status().code(), absl::StatusCode::kFailedPrecondition);
    return std::string(module.status().message());
  }
  std::string dir_;
};

TEST_F(InternalModuleTest, AMissingModuleNamesItsFile) {
  EXPECT_EQ(Error(), "cannot load the agent's testing module " + path() +
                         ": module " + path() + " not found");
}

TEST_F(InternalModuleTest, AFileThatIsNoLibraryGivesDlerrorsReason) {
  std::ofstream(path()) << std::string(4096, 'x');
  chmod(path().c_str(), 0644);
  std::string error = Error();
  EXPECT_THAT(error, HasSubstr("cannot load the agent's testing module " +
                               path() + ": "));
  EXPECT_THAT(error, HasSubstr(path() + ": invalid ELF header"));
  EXPECT_THAT(error, Not(HasSubstr("/proc/self/fd")));
}

TEST_F(InternalModuleTest, AModuleOfAnotherBuildIsRefused) {
  Install(OTHER_BUILD_MODULE);
  EXPECT_EQ(Error(), "cannot load the agent's testing module " + path() +
                         ": it was built for mcpcred 0.0.0-other, not "
                         "mcpcred " MCPCRED_VERSION ": reinstall mcpcred");
}

TEST_F(InternalModuleTest, AModuleOthersCanWriteIsRefused) {
  Install(TESTING_MODULE);
  chmod(path().c_str(), 0666);
  EXPECT_THAT(Error(), HasSubstr("is writable by group or others"));
}

TEST_F(InternalModuleTest, ItsModuleIsLoadedOnce) {
  Install(TESTING_MODULE);
  absl::StatusOr<const TestingModule*> module =
      LoadInternalModule<TestingModule>();
  ASSERT_TRUE(module.ok()) << module.status();
  EXPECT_EQ((*module)->answer(), 42);
  // Loaded: neither the file nor the directory is looked at again.
  std::filesystem::remove(path());
  SetInternalModuleDir(dir_ + "/elsewhere");
  absl::StatusOr<const TestingModule*> again =
      LoadInternalModule<TestingModule>();
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, *module);
}

}  // namespace
}  // namespace mcpcred::testing
