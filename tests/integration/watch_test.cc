// WatchCredentials, forced refreshes and the C++ CredentialCache, against the
// real agent: the stream's snapshot and changes, one refresh shared by every
// client reporting the same rejected value, a watcher that never reads, and a
// cache that lives through an agent restart.
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "mcpcred/client.h"
#include "mcpcred/credential_cache.h"
#include "tests/integration/agent_fixture.h"

namespace mcpcred::testing {
namespace {

std::string CounterToml(const std::string& name, int ttl_ms) {
  return "[credential." + name +
         "]\n"
         "provider = \"counter\"\n"
         "ttl_ms = " +
         std::to_string(ttl_ms) +
         "\n"
         "env = { TOKEN = \"{access_token}\" }\n";
}

// Runs a Watch on its own thread and records every event.
class Watcher {
 public:
  Watcher(Client* client, std::vector<std::string> names) {
    thread_ = std::thread([this, client, names] {
      absl::Status status = client->Watch(
          names,
          [this](const v1::CredentialEvent& event) {
            absl::MutexLock lock(&mu_);
            events_.push_back(event);
            arrivals_.push_back(absl::Now());
          },
          &canceller_);
      absl::MutexLock lock(&mu_);
      end_ = status;
      ended_ = true;
    });
  }
  ~Watcher() {
    canceller_.Cancel();
    thread_.join();
  }

  // Waits for an event matching `match`, at or after index `from`; returns
  // its index, or -1 after `limit`.
  template <typename Match>
  int WaitFor(Match match, size_t from = 0,
              absl::Duration limit = absl::Seconds(20)) {
    absl::MutexLock lock(&mu_);
    int found = -1;
    // absl::Condition evaluates it with mu_ held.
    auto ready = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      for (size_t i = from; i < events_.size(); ++i) {
        if (match(events_[i])) {
          found = static_cast<int>(i);
          return true;
        }
      }
      return ended_;
    };
    mu_.AwaitWithTimeout(absl::Condition(&ready), limit);
    return found;
  }
  bool WaitEnded(absl::Duration limit) {
    absl::MutexLock lock(&mu_);
    return mu_.AwaitWithTimeout(absl::Condition(&ended_), limit);
  }
  v1::CredentialEvent Event(int i) {
    absl::MutexLock lock(&mu_);
    return events_.at(i);
  }
  absl::Time Arrival(int i) {
    absl::MutexLock lock(&mu_);
    return arrivals_.at(i);
  }
  size_t size() {
    absl::MutexLock lock(&mu_);
    return events_.size();
  }
  absl::Status end() {
    absl::MutexLock lock(&mu_);
    return end_;
  }

 private:
  LoginCanceller canceller_;
  absl::Mutex mu_;
  std::vector<v1::CredentialEvent> events_ ABSL_GUARDED_BY(mu_);
  std::vector<absl::Time> arrivals_ ABSL_GUARDED_BY(mu_);
  absl::Status end_ ABSL_GUARDED_BY(mu_);
  bool ended_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

auto Kind(v1::CredentialEvent::Kind kind, const std::string& name = "") {
  return [kind, name](const v1::CredentialEvent& event) {
    return event.kind() == kind && (name.empty() || event.name() == name);
  };
}

class WatchTest : public AgentTest {
 protected:
  std::unique_ptr<Client> NewClient() {
    ClientOptions options;
    options.socket_path = socket_path();
    absl::StatusOr<std::unique_ptr<Client>> client = Client::Create(options);
    EXPECT_TRUE(client.ok()) << client.status();
    return client.ok() ? *std::move(client) : nullptr;
  }
};

TEST_F(WatchTest, SnapshotThenSyncedThenRefreshes) {
  WriteConfig(StaticCredentialToml("gh") + CounterToml("rot", 1200));
  ASSERT_NE(StartAgent(), nullptr);
  std::unique_ptr<Client> client = NewClient();
  Watcher watcher(client.get(), {});

  int synced = watcher.WaitFor(Kind(v1::CredentialEvent::SYNCED));
  ASSERT_GE(synced, 2) << "a snapshot per credential comes before SYNCED";
  for (int i = 0; i < synced; ++i) {
    EXPECT_EQ(watcher.Event(i).kind(), v1::CredentialEvent::SNAPSHOT);
  }
  // The static secret is prefetched; the counter is fetched on demand.
  ASSERT_TRUE(client->GetCredential("rot").ok());
  int first =
      watcher.WaitFor(Kind(v1::CredentialEvent::REFRESHED, "rot"), synced);
  ASSERT_GE(first, 0);
  const v1::Credential one = watcher.Event(first).credential();
  // The proactive refresh (at most at half-life) arrives by itself.
  int second = watcher.WaitFor(
      [&](const v1::CredentialEvent& event) {
        return event.name() == "rot" && event.has_credential() &&
               event.credential().version() > one.version();
      },
      first + 1);
  ASSERT_GE(second, 0) << "no rotation reached the watcher";
  EXPECT_EQ(watcher.Event(second).kind(), v1::CredentialEvent::REFRESHED);
  EXPECT_NE(watcher.Event(second).credential().token(), one.token());
  EXPECT_TRUE(watcher.Event(second).credential().has_expires_at());
}

TEST_F(WatchTest, ARotationReachesTheWatcherAsItHappens) {
  WriteConfig(CounterToml("rot", 0));
  ASSERT_NE(StartAgent(), nullptr);
  std::unique_ptr<Client> client = NewClient();
  Watcher watcher(client.get(), {"rot"});
  ASSERT_GE(watcher.WaitFor(Kind(v1::CredentialEvent::SYNCED)), 0);
  int have = watcher.WaitFor(
      [](const v1::CredentialEvent& e) { return e.has_credential(); });
  ASSERT_GE(have, 0) << "a named watch fetches its credential";

  std::vector<absl::Duration> gaps;
  uint64_t version = watcher.Event(have).credential().version();
  for (int i = 0; i < 20; ++i) {
    size_t from = watcher.size();
    absl::Time asked = absl::Now();
    absl::StatusOr<v1::Credential> fresh = client->ForceRefresh("rot", version);
    ASSERT_TRUE(fresh.ok()) << fresh.status();
    int seen = watcher.WaitFor(
        [&](const v1::CredentialEvent& e) {
          return e.credential().version() == fresh->version();
        },
        from);
    ASSERT_GE(seen, 0);
    gaps.push_back(watcher.Arrival(seen) - asked);
    version = fresh->version();
  }
  std::sort(gaps.begin(), gaps.end());
  // A figure for the closing note, not an assertion.
  std::cout << "[ figure ] forced refresh -> watcher event, p50 "
            << absl::FormatDuration(gaps[gaps.size() / 2]) << ", max "
            << absl::FormatDuration(gaps.back()) << "\n";
}

TEST_F(WatchTest, ReloadAndRemovalAreEvents) {
  WriteConfig(StaticCredentialToml("gh") + CounterToml("rot", 0));
  ASSERT_NE(StartAgent(), nullptr);
  std::unique_ptr<Client> client = NewClient();
  Watcher watcher(client.get(), {});
  int synced = watcher.WaitFor(Kind(v1::CredentialEvent::SYNCED));
  ASSERT_GE(synced, 0);

  WriteConfig(StaticCredentialToml("gh") + CounterToml("added", 0));
  ASSERT_TRUE(client->Reload().ok());
  int removed = watcher.WaitFor(Kind(v1::CredentialEvent::REMOVED, "rot"));
  ASSERT_GE(removed, 0);
  EXPECT_EQ(watcher.Event(removed).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_FALSE(watcher.Event(removed).has_credential());
  EXPECT_GE(watcher.WaitFor(Kind(v1::CredentialEvent::RELOADED, "added")), 0);
}

TEST_F(WatchTest, LoginRequiredIsAnErrorEvent) {
  WriteConfig(
      "[credential.lost]\nprovider = \"counter\"\nfail_after = 0\n"
      "fail_with = \"login_required\"\nenv = { T = \"{access_token}\" }\n");
  ASSERT_NE(StartAgent(), nullptr);
  std::unique_ptr<Client> client = NewClient();
  Watcher watcher(client.get(), {"lost"});
  int error = watcher.WaitFor(Kind(v1::CredentialEvent::ERROR, "lost"));
  ASSERT_GE(error, 0);
  EXPECT_EQ(watcher.Event(error).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(watcher.Event(error).error_message().find("mcpcred login lost"),
            std::string::npos)
      << watcher.Event(error).error_message();
}

TEST_F(WatchTest, UnknownOrMalformedNamesEndTheStream) {
  WriteConfig(StaticCredentialToml("gh"));
  ASSERT_NE(StartAgent(), nullptr);
  std::unique_ptr<Client> client = NewClient();
  absl::Status status =
      client->Watch({"nope"}, [](const v1::CredentialEvent&) {});
  EXPECT_TRUE(absl::IsNotFound(status)) << status;
  status =
      client->Watch({std::string(300, 'x')}, [](const v1::CredentialEvent&) {});
  EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
}

TEST_F(WatchTest, StoppingTheAgentEndsEveryStream) {
  WriteConfig(StaticCredentialToml("gh"));
  AgentProcess* agent = StartAgent();
  ASSERT_NE(agent, nullptr);
  std::unique_ptr<Client> client = NewClient();
  Watcher watcher(client.get(), {});
  ASSERT_GE(watcher.WaitFor(Kind(v1::CredentialEvent::SYNCED)), 0);
  absl::Time stop = absl::Now();
  absl::StatusOr<int> exit = agent->Stop();
  ASSERT_TRUE(exit.ok()) << exit.status();
  EXPECT_EQ(*exit, 0);
  ASSERT_TRUE(watcher.WaitEnded(absl::Seconds(10)));
  EXPECT_TRUE(absl::IsUnavailable(watcher.end())) << watcher.end();
  std::cout << "[ figure ] agent stop with a watcher: "
            << absl::FormatDuration(absl::Now() - stop) << "\n";
}

TEST_F(WatchTest, ForcedRefreshesOfOneValueShareOneFetch) {
  WriteConfig(CounterToml("c", 0));
  ASSERT_NE(StartAgent(), nullptr);
  std::unique_ptr<Client> client = NewClient();
  absl::StatusOr<v1::Credential> first = client->GetCredential("c");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->token(), "counter-c-1");

  // Eight hosts report the same rejected value at once.
  std::vector<std::thread> hosts;
  std::vector<std::string> tokens(8);
  for (int i = 0; i < 8; ++i) {
    hosts.emplace_back([&, i] {
      absl::StatusOr<v1::Credential> fresh =
          client->ForceRefresh("c", first->version());
      tokens[i] = fresh.ok() ? fresh->token() : fresh.status().ToString();
    });
  }
  for (std::thread& host : hosts) host.join();
  for (const std::string& token : tokens) EXPECT_EQ(token, "counter-c-2");
  // A late report of the same old value gets the new one, no new fetch.
  absl::StatusOr<v1::Credential> late =
      client->ForceRefresh("c", first->version());
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(late->token(), "counter-c-2");
  // Reporting the current value refreshes again.
  absl::StatusOr<v1::Credential> again =
      client->ForceRefresh("c", late->version());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->token(), "counter-c-3");
}

TEST_F(WatchTest, AStaticSecretCannotBeForcedToRefresh) {
  WriteConfig(StaticCredentialToml("gh"));
  ASSERT_NE(StartAgent(), nullptr);
  std::unique_ptr<Client> client = NewClient();
  absl::StatusOr<v1::Credential> held = client->GetCredential("gh");
  ASSERT_TRUE(held.ok());
  absl::StatusOr<v1::Credential> fresh =
      client->ForceRefresh("gh", held->version());
  ASSERT_FALSE(fresh.ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(fresh.status()));
  EXPECT_NE(fresh.status().message().find("cannot refresh"), std::string::npos)
      << fresh.status();
  EXPECT_FALSE(ContainsSecret(std::string(fresh.status().message())));
}

TEST_F(WatchTest, AWatcherThatNeverReadsSlowsNobody) {
  WriteConfig(StaticCredentialToml("gh") + CounterToml("fast", 300));
  ASSERT_NE(StartAgent(), nullptr);
  // A raw stream that is opened and never read from.
  auto channel = grpc::CreateChannel("unix:" + socket_path(),
                                     grpc::InsecureChannelCredentials());
  std::unique_ptr<v1::Agent::Stub> stub = v1::Agent::NewStub(channel);
  grpc::ClientContext stuck_context;
  v1::WatchCredentialsRequest all;
  std::unique_ptr<grpc::ClientReader<v1::CredentialEvent>> stuck =
      stub->WatchCredentials(&stuck_context, all);

  std::unique_ptr<Client> client = NewClient();
  // Rotations keep coming (300 ms tokens) while the stream is stuck.
  for (int i = 0; i < 200; ++i) {
    absl::StatusOr<v1::Credential> token = client->GetCredential("fast");
    ASSERT_TRUE(token.ok()) << token.status();
    ASSERT_TRUE(client->GetCredential("gh").ok());
    absl::SleepFor(absl::Milliseconds(5));
  }
  stuck_context.TryCancel();
}

// The client connects the socket itself (to check who listens), so gRPC
// cannot reconnect on its own: the client must, with the same checks.
TEST_F(WatchTest, AClientConnectsAgainAfterTheAgentRestarts) {
  WriteConfig(StaticCredentialToml("gh"));
  AgentProcess* agent = StartAgent();
  ASSERT_NE(agent, nullptr);
  std::unique_ptr<Client> client = NewClient();
  absl::StatusOr<v1::AgentStatus> before = client->GetStatus();
  ASSERT_TRUE(before.ok()) << before.status();

  ASSERT_TRUE(agent->Stop().ok());
  absl::StatusOr<v1::AgentStatus> during = client->GetStatus();
  EXPECT_TRUE(IsAgentUnreachable(during.status())) << during.status();
  AgentProcess* restarted = StartAgent();
  ASSERT_NE(restarted, nullptr);

  absl::StatusOr<v1::AgentStatus> after = client->GetStatus();
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->pid(), restarted->pid());
  absl::StatusOr<v1::Credential> gh = client->GetCredential("gh");
  ASSERT_TRUE(gh.ok()) << gh.status();
  EXPECT_TRUE(gh->token() == secret());
}

TEST_F(WatchTest, CacheAnswersFromMemoryAndLivesThroughARestart) {
  WriteConfig(StaticCredentialToml("gh") + CounterToml("rot", 0));
  AgentProcess* agent = StartAgent();
  ASSERT_NE(agent, nullptr);
  CredentialCacheOptions options;
  options.client.socket_path = socket_path();
  options.names = {"gh", "rot"};
  options.max_backoff = std::chrono::milliseconds(500);
  absl::StatusOr<std::unique_ptr<CredentialCache>> cache =
      CredentialCache::Create(options);
  ASSERT_TRUE(cache.ok()) << cache.status();
  ASSERT_TRUE((*cache)->WaitSynced(absl::Seconds(20)));

  auto gh = (*cache)->Get("gh");
  ASSERT_TRUE(gh.ok()) << gh.status();
  EXPECT_TRUE((*gh)->token() == secret());
  auto rot = (*cache)->Get("rot");
  ASSERT_TRUE(rot.ok()) << rot.status();
  // A forced refresh through another client reaches the cache by the stream.
  std::unique_ptr<Client> client = NewClient();
  absl::StatusOr<v1::Credential> fresh =
      client->ForceRefresh("rot", (*rot)->version());
  ASSERT_TRUE(fresh.ok());
  absl::Time limit = absl::Now() + absl::Seconds(10);
  while ((*(*cache)->Get("rot"))->version() != fresh->version() &&
         absl::Now() < limit) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  EXPECT_EQ((*(*cache)->Get("rot"))->token(), fresh->token());

  // The agent restarts: the cache still answers (its values never expire)
  // and connects again.
  ASSERT_TRUE(agent->Stop().ok());
  EXPECT_TRUE((*cache)->Get("gh").ok());
  uint64_t connections = (*cache)->connections();
  ASSERT_NE(StartAgent(), nullptr);
  limit = absl::Now() + absl::Seconds(20);
  while (((*cache)->connections() == connections || !(*cache)->synced()) &&
         absl::Now() < limit) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_TRUE((*cache)->synced()) << "the cache did not reconnect";
  auto after = (*cache)->Get("rot");
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ((*after)->token(), "counter-rot-1") << "the new agent's value";
}

TEST_F(WatchTest, CacheReportsAMissingAgentAndUnknownNames) {
  CredentialCacheOptions options;
  options.client.socket_path = socket_path();
  absl::StatusOr<std::unique_ptr<CredentialCache>> cache =
      CredentialCache::Create(options);
  ASSERT_TRUE(cache.ok());
  auto missing = (*cache)->Get("gh");
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(IsAgentUnreachable(missing.status())) << missing.status();

  WriteConfig(StaticCredentialToml("gh"));
  ASSERT_NE(StartAgent(), nullptr);
  ASSERT_TRUE((*cache)->WaitSynced(absl::Seconds(20)));
  auto unknown = (*cache)->Get("nope");
  EXPECT_TRUE(absl::IsNotFound(unknown.status())) << unknown.status();
  EXPECT_TRUE((*cache)->Get("gh").ok());
}

}  // namespace
}  // namespace mcpcred::testing
