#include "exec_env.h"

#include "gtest/gtest.h"

namespace mcpcred::exec {
namespace {

using Env = std::vector<std::string>;

v1::Credential MakeCredential(
    const std::string& name,
    const std::vector<std::pair<std::string, std::string>>& env,
    const std::vector<std::string>& secret_keys) {
  v1::Credential credential;
  credential.set_name(name);
  for (const auto& [key, value] : env) (*credential.mutable_env())[key] = value;
  for (const std::string& key : secret_keys)
    credential.add_secret_env_keys(key);
  return credential;
}

TEST(BuildEnvironmentTest, CredentialWinsAndLaterCredentialWins) {
  Env inherited = {"PATH=/bin", "GITHUB_TOKEN=old", "HOME=/h"};
  std::vector<v1::Credential> credentials = {
      MakeCredential("github", {{"GITHUB_TOKEN", "gh1"}, {"SHARED", "first"}},
                     {"GITHUB_TOKEN", "SHARED"}),
      MakeCredential("other", {{"SHARED", "second"}, {"API_KEY", "k"}},
                     {"SHARED", "API_KEY"}),
  };
  absl::StatusOr<Env> env = BuildEnvironment(inherited, credentials, "");
  ASSERT_TRUE(env.ok()) << env.status();
  EXPECT_EQ(*env, Env({"PATH=/bin", "GITHUB_TOKEN=gh1", "HOME=/h",
                       "SHARED=second", "API_KEY=k",
                       "MCPCRED_SECRET_KEYS=API_KEY,GITHUB_TOKEN,SHARED"}));
}

TEST(BuildEnvironmentTest, SecretKeysSetEvenWithoutSecrets) {
  absl::StatusOr<Env> env =
      BuildEnvironment({"A=1"}, {MakeCredential("x", {}, {})}, "");
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(*env, Env({"A=1", "MCPCRED_SECRET_KEYS="}));
}

TEST(BuildEnvironmentTest, NestedExecKeepsOuterSecretKeys) {
  absl::StatusOr<Env> env = BuildEnvironment(
      {"MCPCRED_SECRET_KEYS=OUTER,ZED", "OUTER=o"},
      {MakeCredential("inner", {{"INNER", "i"}}, {"INNER", "OUTER"})}, "");
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(*env,
            Env({"MCPCRED_SECRET_KEYS=INNER,OUTER,ZED", "OUTER=o", "INNER=i"}));
}

TEST(BuildEnvironmentTest, InheritedDuplicatesAndOddEntries) {
  absl::StatusOr<Env> env =
      BuildEnvironment({"T=1", "NOEQUALS", "T=2", "MCPCRED_SECRET_KEYS", "E="},
                       {MakeCredential("c", {{"T", "new"}}, {"T"})}, "");
  ASSERT_TRUE(env.ok());
  // The stale duplicate T=2 must not survive next to the credential's T.
  EXPECT_EQ(*env, Env({"T=new", "NOEQUALS", "MCPCRED_SECRET_KEYS=T", "E="}));
}

TEST(BuildEnvironmentTest, TheSocketIsPassedOnlyWhenAskedFor) {
  std::vector<v1::Credential> credentials = {
      MakeCredential("c", {{"T", "t"}}, {"T"})};
  Env inherited = {"MCPCRED_SOCK=/run/a.sock", "A=1", "MCPCRED_SOCK=/dup"};

  absl::StatusOr<Env> kept = BuildEnvironment(inherited, credentials, "");
  ASSERT_TRUE(kept.ok()) << kept.status();
  EXPECT_EQ(*kept, Env({"A=1", "T=t", "MCPCRED_SECRET_KEYS=T"}));

  absl::StatusOr<Env> passed =
      BuildEnvironment(inherited, credentials, "/run/used.sock");
  ASSERT_TRUE(passed.ok()) << passed.status();
  EXPECT_EQ(*passed, Env({"A=1", "T=t", "MCPCRED_SECRET_KEYS=T",
                          "MCPCRED_SOCK=/run/used.sock"}));
}

// Whatever the agent answers: it is not trusted with how COMMAND runs.
TEST(BuildEnvironmentTest, RefusesKeysThatChangeHowProgramsRun) {
  for (const char* key :
       {"LD_PRELOAD", "PATH", "PYTHONPATH", "NODE_OPTIONS", "MCPCRED_SOCK"}) {
    absl::StatusOr<Env> env = BuildEnvironment(
        {"PATH=/bin"},
        {MakeCredential("gh",
                        {{"GITHUB_TOKEN", "t0ken"}, {key, "/tmp/evil-value"}},
                        {"GITHUB_TOKEN"})},
        "");
    ASSERT_FALSE(env.ok()) << key;
    EXPECT_EQ(env.status().code(), absl::StatusCode::kPermissionDenied);
    EXPECT_EQ(env.status().message(),
              std::string("refusing ") + key +
                  " from credential \"gh\": it changes how programs load or "
                  "run, and a credential may not set it; COMMAND was not "
                  "started");
  }
}

TEST(BuildEnvironmentTest, RejectsKeysExecWouldMangleWithoutShowingValues) {
  for (const std::string& key :
       {std::string(""), std::string("A=B"), std::string("A\0B", 3)}) {
    absl::StatusOr<Env> env = BuildEnvironment(
        {}, {MakeCredential("bad", {{key, "s3cret"}}, {})}, "");
    EXPECT_EQ(env.status().code(), absl::StatusCode::kInternal);
    EXPECT_EQ(env.status().message().find("s3cret"), absl::string_view::npos);
    EXPECT_NE(env.status().message().find("\"bad\""), absl::string_view::npos);
  }
  absl::StatusOr<Env> env = BuildEnvironment(
      {}, {MakeCredential("bad", {{"K", std::string("s3\0cret", 7)}}, {})}, "");
  EXPECT_EQ(env.status().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(env.status().message().find("s3"), absl::string_view::npos);
}

TEST(SecretKeysValueTest, SortedUniqueUnion) {
  EXPECT_EQ(SecretKeysValue({MakeCredential("a", {}, {"B", "A"}),
                             MakeCredential("b", {}, {"A", "C"})},
                            ",X,,B"),
            "A,B,C,X");
  EXPECT_EQ(SecretKeysValue({}, ""), "");
}

TEST(EnvironToVectorTest, CopiesUntilNull) {
  char a[] = "A=1";
  char b[] = "B=2";
  char* environ_array[] = {a, b, nullptr};
  EXPECT_EQ(EnvironToVector(environ_array), Env({"A=1", "B=2"}));
  EXPECT_TRUE(EnvironToVector(nullptr).empty());
}

}  // namespace
}  // namespace mcpcred::exec
