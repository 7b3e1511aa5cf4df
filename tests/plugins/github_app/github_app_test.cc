// The github-app provider against the local GitHub stand-in, which verifies
// the app JWT as GitHub does.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <memory>

#include "absl/synchronization/notification.h"
#include "agent/broker/broker.h"
#include "agent/broker/refresh_loop.h"
#include "agent/plugin/plugin_library.h"
#include "agent/store/memory_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/plugins/github_app/standin_process.h"

namespace mcpcred {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class GitHubAppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string(NODE_EXECUTABLE).find("NOTFOUND") != std::string::npos) {
      GTEST_SKIP() << "node is not installed: the GitHub stand-in needs it";
    }
    dir_ = ::testing::TempDir() + "/ghapp-" + std::to_string(getpid());
    mkdir(dir_.c_str(), 0700);
    ASSERT_TRUE(WriteRsaKeyPair(dir_ + "/app.pem", dir_ + "/app.pub.pem"));
    auto lib = PluginLibrary::Load(GITHUB_APP_PLUGIN);
    ASSERT_TRUE(lib.ok()) << lib.status();
    library_ = std::move(*lib);
  }

  void StartStandin(int ttl_seconds) {
    standin_ =
        std::make_unique<StandinProcess>(dir_ + "/app.pub.pem", ttl_seconds);
    ASSERT_NE(standin_->port(), 0) << "the stand-in did not start";
  }

  nlohmann::json Config(const std::string& key_path) {
    return {{"app_id", 12345},
            {"installation_id", 678},
            {"private_key", "file:" + key_path},
            {"api_url", standin_ != nullptr ? standin_->api_url() : ""}};
  }

  absl::StatusOr<std::unique_ptr<ProviderInstance>> Create(
      const nlohmann::json& config, std::string* key) {
    return ProviderInstance::Create(library_, "acme", config, &store_,
                                    SystemClock::Get(), key);
  }

  std::shared_ptr<CredentialSlot> Slot(const nlohmann::json& config) {
    config::CredentialConfig credential;
    credential.name = "acme";
    credential.provider = "github-app";
    credential.env.emplace("GITHUB_TOKEN",
                           *config::Template::Parse("{access_token}"));
    std::string key;
    auto instance = Create(config, &key);
    EXPECT_TRUE(instance.ok()) << instance.status();
    return std::make_shared<CredentialSlot>(credential, std::move(*instance),
                                            absl::OkStatus(), false);
  }

  std::string dir_;
  std::shared_ptr<const PluginLibrary> library_;
  std::unique_ptr<StandinProcess> standin_;
  MemoryStore store_;
};

TEST_F(GitHubAppTest, MintsAnInstallationTokenWithGitHubHeadersAndScopes) {
  StartStandin(3600);
  nlohmann::json config = Config(dir_ + "/app.pem");
  config["permissions"] = {{"contents", "read"}, {"issues", "write"}};
  config["repositories"] = {"widgets"};
  std::string key;
  auto instance = Create(config, &key);
  ASSERT_TRUE(instance.ok()) << instance.status();
  auto token = (*instance)->Fetch();
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_THAT(token->token.ToUnwipedString(), StartsWith("ghs_"));
  ASSERT_TRUE(token->expires_at.has_value());
  EXPECT_GT(*token->expires_at, absl::Now() + absl::Minutes(59));
  EXPECT_LE(*token->expires_at, absl::Now() + absl::Minutes(61));
  nlohmann::json stats = standin_->Stats();
  EXPECT_EQ(stats["mints"], 1);
  EXPECT_EQ(stats["last_body"]["permissions"]["issues"], "write");
  EXPECT_EQ(stats["last_body"]["repositories"][0], "widgets");
  EXPECT_EQ(stats["last_headers"]["accept"], "application/vnd.github+json");
  EXPECT_EQ(stats["last_headers"]["x-github-api-version"], "2022-11-28");
}

TEST_F(GitHubAppTest, ManyRequestsShareOneMint) {
  StartStandin(3600);
  ThreadPool pool(4);
  Broker broker(&pool, SystemClock::Get());
  broker.SetCredentials({Slot(Config(dir_ + "/app.pem"))});
  std::atomic<int> answered{0}, failed{0};
  absl::Notification done;
  for (int i = 0; i < 50; ++i) {
    broker.Get("acme", absl::ZeroDuration(), [&](CredentialResult r) {
      if (!r.ok()) ++failed;
      if (++answered == 50) done.Notify();
    });
  }
  done.WaitForNotification();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(standin_->Stats()["mints"], 1);
  pool.Stop(absl::InfiniteFuture());
}

TEST_F(GitHubAppTest, ReMintsAheadOfExpiry) {
  StartStandin(/*ttl_seconds=*/4);
  ThreadPool pool(2);
  Broker broker(&pool, SystemClock::Get());
  auto loop = std::make_unique<RefreshLoop>(&broker, absl::Milliseconds(100));
  broker.SetCredentials({Slot(Config(dir_ + "/app.pem"))});
  absl::Notification first;
  std::string first_token;
  broker.Get("acme", absl::ZeroDuration(), [&](CredentialResult r) {
    if (r.ok()) first_token = (*r)->token.ToUnwipedString();
    first.Notify();
  });
  first.WaitForNotification();
  ASSERT_FALSE(first_token.empty());
  // Bounded wait (a safety limit, not a timing check) for the proactive
  // refresh, which the broker starts before the 4 s token expires.
  for (int i = 0; i < 100 && broker.refreshes_started() == 0; ++i) {
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_GE(broker.refreshes_started(), 1u);
  for (int i = 0; i < 50 && standin_->Stats()["mints"] < 2; ++i) {
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_GE(standin_->Stats()["mints"], 2);
  // The broker's contract: nothing schedules and no fetch runs once it goes
  // (the last refresh may still be finishing).
  loop.reset();
  pool.Stop(absl::InfiniteFuture());
}

TEST_F(GitHubAppTest, KeyTheAppDoesNotKnowSurfacesGitHubsMessage) {
  StartStandin(3600);
  ASSERT_TRUE(WriteRsaKeyPair(dir_ + "/other.pem", dir_ + "/other.pub.pem"));
  std::string key;
  auto instance = Create(Config(dir_ + "/other.pem"), &key);
  ASSERT_TRUE(instance.ok()) << instance.status();
  auto token = (*instance)->Fetch();
  EXPECT_TRUE(absl::IsPermissionDenied(token.status()));
  EXPECT_EQ(token.status().message(),
            "GitHub answered 401: A JSON web token could not be decoded");
  EXPECT_EQ(standin_->Stats()["rejected"], 1);
}

TEST_F(GitHubAppTest, WrongInstallationIsNotFound) {
  StartStandin(3600);
  nlohmann::json config = Config(dir_ + "/app.pem");
  config["installation_id"] = 999;
  std::string key;
  auto token = (*Create(config, &key))->Fetch();
  EXPECT_TRUE(absl::IsInvalidArgument(token.status()));
  EXPECT_EQ(token.status().message(), "GitHub answered 404: Not Found");
}

TEST_F(GitHubAppTest, DeadApiServerIsUnavailable) {
  nlohmann::json config = Config(dir_ + "/app.pem");
  config["api_url"] = "http://127.0.0.1:1";
  std::string key;
  auto token = (*Create(config, &key))->Fetch();
  EXPECT_TRUE(absl::IsUnavailable(token.status()));
  EXPECT_THAT(token.status().message(), HasSubstr("127.0.0.1:1"));
}

TEST_F(GitHubAppTest, PlainHttpToANonLoopbackHostIsRefused) {
  nlohmann::json config = Config(dir_ + "/app.pem");
  config["api_url"] = "http://192.0.2.1";  // TEST-NET-1, never contacted
  std::string key;
  auto token = (*Create(config, &key))->Fetch();
  EXPECT_TRUE(absl::IsPermissionDenied(token.status()));
  EXPECT_THAT(token.status().message(), HasSubstr("only loopback hosts"));
}

TEST_F(GitHubAppTest, BadKeysFailAtLoadNamingTheKey) {
  struct Case {
    std::string file;
    std::string content;
    mode_t mode;
    std::string expected;
  };
  std::string pem;
  {
    std::ifstream in(dir_ + "/app.pem");
    pem.assign(std::istreambuf_iterator<char>(in), {});
  }
  ASSERT_TRUE(WriteEcKey(dir_ + "/ec.pem"));
  std::vector<Case> cases = {
      {"open.pem", pem, 0644, "readable by group or others"},
      {"garbage.pem", "not a key\n", 0600, "is not a PEM private key"},
      {"ec.pem", "", 0600, "is not an RSA private key"},
      {"missing.pem", "", 0, "does not exist"},
  };
  for (const Case& c : cases) {
    std::string path = dir_ + "/" + c.file;
    if (!c.content.empty()) {
      std::ofstream(path) << c.content;
      chmod(path.c_str(), c.mode);
    }
    std::string key;
    auto instance = Create(Config(path), &key);
    EXPECT_FALSE(instance.ok()) << c.file;
    EXPECT_THAT(instance.status().message(), HasSubstr(c.expected)) << c.file;
    EXPECT_EQ(key, "private_key") << c.file;
    EXPECT_THAT(std::string(instance.status().message()),
                ::testing::Not(HasSubstr("PRIVATE KEY")));
  }
}

}  // namespace
}  // namespace mcpcred
