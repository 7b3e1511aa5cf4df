// Choosing the store from [store] backend, and the Secret Service store when
// no Secret Service can be reached (the case of every headless machine). The
// real-keyring tests are in secret_service_store_test.cc.
#include "agent/store/store_factory.h"

#include <cstdlib>

#include "absl/time/clock.h"
#include "agent/store/deferred_store.h"
#include "agent/store/memory_store.h"
#include "agent/store/secret_service_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/store/store_test_util.h"

namespace mcpcred {
namespace {

using ::mcpcred::testing::ScratchDir;
using ::testing::HasSubstr;

// A session with no bus: nothing answers, and nothing may hang.
class NoBusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("DBUS_SESSION_BUS_ADDRESS",
           ("unix:path=" + dir_.path() + "/no-bus").c_str(), 1);
    unsetenv("DISPLAY");
  }
  ScratchDir dir_;
};

TEST_F(NoBusTest, ExplicitBackends) {
  StoreOptions options;
  options.state_dir = dir_.path() + "/state";
  for (const char* backend : {"memory", "file", "secret-service"}) {
    options.backend = backend;
    absl::StatusOr<std::unique_ptr<SecretStore>> store =
        OpenSecretStore(options);
    ASSERT_TRUE(store.ok()) << store.status();
    EXPECT_EQ((*store)->name(), backend);
  }
  options.backend = "kwallet";
  absl::StatusOr<std::unique_ptr<SecretStore>> unknown =
      OpenSecretStore(options);
  EXPECT_TRUE(absl::IsInvalidArgument(unknown.status()));
  EXPECT_THAT(unknown.status().message(), HasSubstr("\"kwallet\""));
}

TEST_F(NoBusTest, AutoFallsBackToTheFileStore) {
  StoreOptions options;
  options.state_dir = dir_.path() + "/state";
  absl::Time start = absl::Now();
  absl::StatusOr<std::unique_ptr<SecretStore>> store = OpenSecretStore(options);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ((*store)->name(), "file");
  EXPECT_EQ((*store)->location(), dir_.path() + "/state/secrets.db");
  // A safety bound only: the probe must not wait on a bus that is not there.
  EXPECT_LT(absl::Now() - start, absl::Seconds(30));
  ASSERT_TRUE((*store)->Put({"x", "secret", ""}, "v").ok());
}

TEST_F(NoBusTest, FileWithoutAStateDirectorySaysWhatToSet) {
  StoreOptions options;
  options.backend = "file";
  std::unique_ptr<SecretStore> store = *OpenSecretStore(options);
  absl::Status put = store->Put({"x", "secret", ""}, "v");
  EXPECT_TRUE(absl::IsFailedPrecondition(put));
  EXPECT_THAT(put.message(), HasSubstr("set XDG_STATE_HOME"));
}

TEST_F(NoBusTest, SecretServiceCallsSayWhatToDo) {
  SecretServiceStore store;
  absl::Status put = store.Put({"x", "secret", ""}, "v");
  EXPECT_TRUE(absl::IsUnavailable(put)) << put;
  EXPECT_THAT(put.message(),
              HasSubstr("the Secret Service is not available on the session "
                        "bus: start gnome-keyring"));
  EXPECT_THAT(put.message(), HasSubstr("backend = \"file\""));
  EXPECT_TRUE(absl::IsUnavailable(store.Get({"x", "secret", ""}).status()));
  EXPECT_TRUE(absl::IsUnavailable(store.List().status()));
  EXPECT_TRUE(absl::IsUnavailable(SecretServiceStore::Probe(absl::Seconds(2))));
}

TEST(SecretServiceLabelTest, NamesTheCredentialAndKind) {
  EXPECT_EQ(SecretServiceStore::LabelFor({"github", "refresh_token", "x"}),
            "mcpcred: github (refresh token)");
  EXPECT_EQ(SecretServiceStore::LabelFor({"linear", "secret", ""}),
            "mcpcred: linear (secret)");
  EXPECT_EQ(SecretServiceStore::LabelFor({"gh", "client", "x"}),
            "mcpcred: gh (client registration)");
}

TEST(DeferredStoreTest, OpensOnceOnOpenOrFirstUse) {
  int opened = 0;
  DeferredStore store("auto", [&opened] {
    ++opened;
    return std::make_unique<MemoryStore>();
  });
  EXPECT_EQ(store.name(), "auto");
  EXPECT_EQ(opened, 0);
  ASSERT_TRUE(store.Put({"x", "secret", ""}, "v").ok());
  store.Open();
  EXPECT_EQ(opened, 1);
  EXPECT_EQ(store.name(), "memory");
  EXPECT_EQ(*store.Get({"x", "secret", ""}), "v");
}

}  // namespace
}  // namespace mcpcred
