#include "agent/store/secret_ref.h"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

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
