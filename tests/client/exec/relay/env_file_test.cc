#include "relay/env_file.h"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mcpcred::exec::relay {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

v1::Credential Credential(const std::string& name,
                          std::map<std::string, std::string> env) {
  v1::Credential credential;
  credential.set_name(name);
  for (const auto& [key, value] : env) (*credential.mutable_env())[key] = value;
  return credential;
}

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string TestDir() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return dir != nullptr ? dir : "/tmp";
}

TEST(EnvFileTest, PrivateFileReplacedWholeAndRemovedAtTheEnd) {
  std::string path, dir;
  {
    absl::StatusOr<std::unique_ptr<EnvFile>> file = EnvFile::Create(TestDir());
    ASSERT_TRUE(file.ok()) << file.status();
    path = (*file)->path();
    dir = path.substr(0, path.rfind('/'));
    ASSERT_TRUE((*file)
                    ->Write({Credential("gh", {{"GH_TOKEN", "one"}}),
                             Credential("x", {{"A", "1"}, {"B", "2"}})})
                    .ok());
    EXPECT_EQ(Read(path), "A=1\nB=2\nGH_TOKEN=one\n");
    struct stat file_stat, dir_stat;
    ASSERT_EQ(stat(path.c_str(), &file_stat), 0);
    ASSERT_EQ(stat(dir.c_str(), &dir_stat), 0);
    EXPECT_EQ(file_stat.st_mode & 0777, 0600u);
    EXPECT_EQ(dir_stat.st_mode & 0777, 0700u);

    // A rewrite is a rename: a reader holding the old file keeps it whole.
    std::ifstream old_reader(path);
    ASSERT_TRUE((*file)->Write({Credential("gh", {{"GH_TOKEN", "two"}})}).ok());
    EXPECT_EQ(Read(path), "GH_TOKEN=two\n");
    std::stringstream old_text;
    old_text << old_reader.rdbuf();
    EXPECT_EQ(old_text.str(), "A=1\nB=2\nGH_TOKEN=one\n");
  }
  struct stat gone;
  EXPECT_NE(stat(path.c_str(), &gone), 0);
  EXPECT_NE(stat(dir.c_str(), &gone), 0);
}

TEST(EnvFileTest, ValueWithALineBreakIsRefusedWithoutShowingIt) {
  absl::StatusOr<std::string> text =
      EnvFile::Render({Credential("gh", {{"GH_TOKEN", "secret\nINJECTED=1"}})});
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(text.status().message()), HasSubstr("GH_TOKEN"));
  EXPECT_THAT(std::string(text.status().message()), Not(HasSubstr("secret")));
}

}  // namespace
}  // namespace mcpcred::exec::relay
