// The planner on a sample config of every host (testdata/): the rewritten
// text is exactly the reviewed testdata/SAMPLE.expected, holds no secret,
// and planning it again finds nothing to do.
#include "import_plan.h"

#include <cstdlib>
#include <fstream>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "tests/client/import/sample_configs.h"

namespace mcpcred::cli::import {
namespace {

using testing::SamplePlace;

Places TestPlaces() { return Places{"/h", "/h/.config", "/p"}; }

std::string FullPath(const SamplePlace& place) {
  std::string root = place.root == "home"     ? "/h"
                     : place.root == "config" ? "/h/.config"
                                              : "/p";
  return root + "/" + place.path;
}

HostFile HostFileAt(const std::string& path) {
  for (const HostFile& file : HostFiles(TestPlaces())) {
    if (file.path == path) return file;
  }
  ADD_FAILURE() << "no host reads " << path;
  return HostFile{};
}

ScannedFile Scan(const HostFile& file, const std::string& text) {
  ScannedFile scanned;
  scanned.file = file;
  scanned.text = text;
  absl::StatusOr<std::vector<ServerEntry>> servers = ScanText(file, text);
  EXPECT_TRUE(servers.ok()) << file.path << ": " << servers.status();
  if (servers.ok()) scanned.servers = *servers;
  return scanned;
}

PlanInput Input(std::vector<ScannedFile> files) {
  PlanInput input;
  input.files = std::move(files);
  input.config_path = "/h/.config/mcpcred/config.toml";
  input.config_text = "# mine\n[store]\nbackend = \"memory\"\n";
  return input;
}

bool HasAnySecret(const std::string& text) {
  for (const std::string& secret : testing::UnitSecrets()) {
    if (absl::StrContains(text, secret)) return true;
  }
  return false;
}

class SamplePlanTest : public ::testing::TestWithParam<SamplePlace> {};

TEST_P(SamplePlanTest, RewritesExactlyAsReviewedAndOnlyOnce) {
  const SamplePlace& place = GetParam();
  HostFile file = HostFileAt(FullPath(place));
  EXPECT_EQ(file.host, place.host);
  std::string text = testing::Sample(place.sample, testing::UnitSecrets());
  absl::StatusOr<ImportPlan> plan = MakePlan(Input({Scan(file, text)}));
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_EQ(plan->files.size(), 1u);
  EXPECT_EQ(plan->left_secrets, 0u);
  EXPECT_GT(plan->moved_secrets, 0u);
  const std::string& rewritten = plan->files[0].new_text;

  std::string expected_name = place.sample + ".expected";
  if (std::getenv("MCPCRED_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(testing::SampleDir() + "/" + expected_name, std::ios::binary)
        << rewritten;
  }
  EXPECT_EQ(rewritten, testing::ReadSampleFile(expected_name));

  // No secret is left in the file, the plan, or the mcpcred config; every
  // secret of the sample went to a credential.
  EXPECT_FALSE(HasAnySecret(rewritten));
  EXPECT_FALSE(HasAnySecret(FormatPlan(*plan, TestPlaces())));
  EXPECT_FALSE(HasAnySecret(plan->new_config_text));
  for (const std::string& secret : testing::UnitSecrets()) {
    if (!absl::StrContains(text, secret)) continue;
    bool stored = false;
    for (const NewCredential& credential : plan->credentials) {
      stored = stored || absl::StrContains(credential.secret, secret);
    }
    EXPECT_TRUE(stored) << "a secret of " << place.sample << " is not moved";
  }
  EXPECT_TRUE(absl::StartsWith(plan->new_config_text, *plan->config_text));
  for (const NewCredential& credential : plan->credentials) {
    EXPECT_TRUE(absl::StrContains(plan->new_config_text,
                                  "[credential." + credential.name +
                                      "]\nprovider = \"static\"\n"
                                      "secret = \"keyring:" +
                                      credential.name + "\"\n"));
  }

  // Twice changes nothing the second time.
  absl::StatusOr<ImportPlan> again = MakePlan(Input({Scan(file, rewritten)}));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->files.empty());
  EXPECT_TRUE(again->credentials.empty());
  EXPECT_EQ(again->new_config_text, *again->config_text);
}

INSTANTIATE_TEST_SUITE_P(
    EveryHost, SamplePlanTest, ::testing::ValuesIn(testing::SamplePlaces()),
    [](const ::testing::TestParamInfo<SamplePlace>& info) {
      std::string name;
      for (char c : info.param.sample) {
        name.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
      }
      return name;
    });

TEST(ImportPlanTest, AFileWithoutSecretsIsNotInThePlan) {
  HostFile file = HostFileAt("/h/.cursor/mcp.json");
  absl::StatusOr<ImportPlan> plan = MakePlan(Input({Scan(
      file,
      "{\"mcpServers\": {\"a\": {\"command\": \"x\", \"env\": {\"API_KEY\": "
      "\"${env:API_KEY}\"}}}}")}));
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_TRUE(plan->files.empty());
  EXPECT_EQ(plan->new_config_text, *plan->config_text);
}

TEST(ImportPlanTest, NamesAreUniqueAgainstTakenOnesAndEachOther) {
  std::string text = testing::Sample("claude.json", testing::UnitSecrets());
  PlanInput input = Input({Scan(HostFileAt("/h/.claude.json"), text)});
  input.taken = {"github"};
  input.config_text =
      "[credential.linear]\nprovider = \"static\"\n"
      "secret = \"env:X\"\n";
  absl::StatusOr<ImportPlan> plan = MakePlan(std::move(input));
  ASSERT_TRUE(plan.ok()) << plan.status();
  std::vector<std::string> names;
  for (const NewCredential& credential : plan->credentials) {
    names.push_back(credential.name);
  }
  EXPECT_EQ(names,
            (std::vector<std::string>{"github-2", "linear-2", "postgres"}));
}

TEST(ImportPlanTest, AnExistingCredentialRenderingTheSameIsReused) {
  std::string text =
      "{\"mcpServers\": {\"gh\": {\"command\": \"a\", \"env\": "
      "{\"GITHUB_TOKEN\": \"same-token-0123456789\"}},"
      "\"other\": {\"command\": \"b\", \"env\": "
      "{\"GITHUB_TOKEN\": \"another-token-0123456789\"}}}}";
  PlanInput input = Input({Scan(HostFileAt("/h/.cursor/mcp.json"), text)});
  input.config_text =
      "[credential.gh]\nprovider = \"static\"\nsecret = \"keyring:gh\"\n"
      "[credential.other]\nprovider = \"static\"\n"
      "secret = \"keyring:other\"\n";
  std::vector<std::string> asked;
  input.existing_renders = [&asked](const std::string& name,
                                    const Templates& env,
                                    const Templates& headers) {
    asked.push_back(name);
    return name == "gh" && headers.empty() &&
           env == Templates{{"GITHUB_TOKEN", "same-token-0123456789"}};
  };
  absl::StatusOr<ImportPlan> plan = MakePlan(std::move(input));
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(asked, (std::vector<std::string>{"gh", "other"}));
  EXPECT_EQ(plan->reused, (std::set<std::string>{"gh"}));
  ASSERT_EQ(plan->credentials.size(), 1u);
  EXPECT_EQ(plan->credentials[0].name, "other-2");
  EXPECT_TRUE(absl::StrContains(FormatPlan(*plan, TestPlaces()),
                                "-> credential \"gh\" (already in the agent)"));
  ASSERT_EQ(plan->files.size(), 1u);
  EXPECT_TRUE(absl::StrContains(plan->files[0].new_text,
                                "\"args\": [\"gh\", \"--\", \"a\"]"));
}

TEST(ImportPlanTest, OneSecretUnderOneKeyInTwoFilesIsOneCredential) {
  std::string cursor =
      "{\"mcpServers\": {\"gh\": {\"command\": \"a\", \"env\": "
      "{\"GITHUB_TOKEN\": \"same-token-0123456789\"}}}}";
  std::string desktop =
      "{\"mcpServers\": {\"github\": {\"command\": \"b\", \"env\": "
      "{\"GITHUB_TOKEN\": \"same-token-0123456789\"}}}}";
  absl::StatusOr<ImportPlan> plan = MakePlan(
      Input({Scan(HostFileAt("/h/.cursor/mcp.json"), cursor),
             Scan(HostFileAt("/h/.config/Claude/claude_desktop_config.json"),
                  desktop)}));
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_EQ(plan->credentials.size(), 1u);
  EXPECT_EQ(plan->credentials[0].name, "gh");
  ASSERT_EQ(plan->files.size(), 2u);
  EXPECT_TRUE(absl::StrContains(plan->files[1].new_text,
                                "\"args\": [\"gh\", \"--\", \"b\"]"));
}

TEST(ImportPlanTest, SeveralSecretsOfOneServerAreSeveralCredentials) {
  std::string text =
      testing::Sample("claude_desktop_config.json", testing::UnitSecrets());
  absl::StatusOr<ImportPlan> plan = MakePlan(Input({Scan(
      HostFileAt("/h/.config/Claude/claude_desktop_config.json"), text)}));
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_EQ(plan->credentials.size(), 2u);
  EXPECT_EQ(plan->credentials[0].name, "slack-slack_bot_token");
  EXPECT_EQ(plan->credentials[1].name, "slack-slack_signing_secret");
  ASSERT_EQ(plan->credentials[0].env.size(), 1u);
  EXPECT_EQ(plan->credentials[0].env[0].first, "SLACK_BOT_TOKEN");
  EXPECT_EQ(plan->credentials[0].env[0].second, "{secret}");
}

TEST(ImportPlanTest, HttpHeadersKeepTheirSchemeAndLiteralsInTheTemplate) {
  std::string text = testing::Sample("dot-mcp.json", testing::UnitSecrets());
  absl::StatusOr<ImportPlan> plan =
      MakePlan(Input({Scan(HostFileAt("/p/.mcp.json"), text)}));
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_EQ(plan->credentials.size(), 1u);
  EXPECT_EQ(plan->credentials[0].headers,
            (Templates{{"X-API-Key", "{secret}"}, {"X-Org", "acme"}}));
  std::string linear = testing::Sample("claude.json", testing::UnitSecrets());
  plan = MakePlan(Input({Scan(HostFileAt("/h/.claude.json"), linear)}));
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->credentials[1].headers,
            (Templates{{"Authorization", "Bearer {secret}"}}));
  EXPECT_EQ(plan->credentials[1].secret, testing::UnitSecrets()[1]);
}

TEST(ImportPlanTest, WhatCannotMoveIsLeftWithTheReason) {
  std::string text =
      "{\"mcpServers\": {"
      "\"two\": {\"url\": \"https://a.example/mcp\", \"headers\": "
      "{\"X-Api-Key\": \"abcdefgh12345678\", \"X-Secret\": "
      "\"abcdefgh87654321\"}},"
      "\"wrapped\": {\"command\": \"mcpcred-exec\", \"args\": [\"w\", \"--\", "
      "\"x\"], \"env\": {\"API_TOKEN\": \"abcdefgh12345678\"}},"
      "\"mixed\": {\"url\": \"https://b.example/mcp\", \"headers\": "
      "{\"X-Api-Key\": \"abcdefgh12345678\", \"X-User\": \"${USER}\"}}}}";
  absl::StatusOr<ImportPlan> plan =
      MakePlan(Input({Scan(HostFileAt("/h/.cursor/mcp.json"), text)}));
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->moved_secrets, 0u);
  EXPECT_EQ(plan->left_secrets, 4u);
  ASSERT_EQ(plan->files.size(), 1u);
  EXPECT_FALSE(plan->files[0].changed());
  for (const ServerChange& server : plan->files[0].servers) {
    EXPECT_FALSE(server.skipped.empty()) << server.name;
  }
}

TEST(ImportPlanTest, ABrokenMcpcredConfigStopsThePlan) {
  PlanInput input = Input({});
  input.config_text = "[credential.a\n";
  absl::StatusOr<ImportPlan> plan = MakePlan(std::move(input));
  ASSERT_FALSE(plan.ok());
  EXPECT_TRUE(absl::StrContains(plan.status().message(), "nothing was changed"))
      << plan.status();
}

TEST(ImportPlanTest, HostFilesFollowHomeXdgAndTheWorkingDirectory) {
  std::vector<std::string> paths;
  for (const HostFile& file : HostFiles(TestPlaces())) {
    paths.push_back(file.path);
  }
  for (const SamplePlace& place : testing::SamplePlaces()) {
    EXPECT_NE(std::find(paths.begin(), paths.end(), FullPath(place)),
              paths.end())
        << FullPath(place);
  }
  EXPECT_EQ(paths.size(), testing::SamplePlaces().size());
}

}  // namespace
}  // namespace mcpcred::cli::import
