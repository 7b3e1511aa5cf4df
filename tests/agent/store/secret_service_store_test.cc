// The Secret Service store against a real gnome-keyring on a private D-Bus
// session. Run under tests/integration/with_keyring.sh (ctest does this);
// skipped, saying so, when no session bus is set.
#include "agent/store/secret_service_store.h"

#include <libsecret/secret.h>
#include <signal.h>
#include <stdio.h>

#include <cstdlib>
#include <string>

#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "agent/store/store_factory.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/agent/store/store_test_util.h"

namespace mcpcred {
namespace {

using ::testing::HasSubstr;
using ::testing::IsSupersetOf;
using ::testing::UnorderedElementsAre;

constexpr char kValue[] = "secret-service-test-value-41c7";
const StoreKey kSecret{"linear", "secret", ""};
const StoreKey kRefresh{"github", "refresh_token", "https://issuer.example"};

class SecretServiceStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::getenv("DBUS_SESSION_BUS_ADDRESS") == nullptr) {
      GTEST_SKIP() << "no D-Bus session: run under "
                      "tests/integration/with_keyring.sh";
    }
    // ctest gives each test its own keyring; a run of the whole binary in
    // one session starts each test from an empty store too.
    SecretServiceStore store;
    absl::StatusOr<std::vector<StoreKey>> keys = store.List();
    ASSERT_TRUE(keys.ok()) << keys.status();
    for (const StoreKey& key : *keys) ASSERT_TRUE(store.Delete(key).ok());
  }
};

// `secret-tool search --all` output without its "secret = " lines, so that
// no value reaches a failure message.
std::string SearchWithSecretTool(const std::string& credential) {
  std::string command =
      "secret-tool search --all xdg:schema io.mcpcred.Secret credential " +
      credential + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return "";
  std::string out;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0)
    out.append(buffer, n);
  pclose(pipe);
  std::string filtered;
  for (absl::string_view line : absl::StrSplit(out, '\n')) {
    if (line.rfind("secret = ", 0) == 0) continue;
    filtered.append(line.data(), line.size()).push_back('\n');
  }
  return filtered;
}

TEST_F(SecretServiceStoreTest, ProbeAnswers) {
  EXPECT_TRUE(SecretServiceStore::Probe(absl::Seconds(2)).ok());
  StoreOptions options;  // auto
  options.state_dir = ::testing::TempDir();
  EXPECT_EQ((*OpenSecretStore(options))->name(), "secret-service");
}

TEST_F(SecretServiceStoreTest, RoundTripReplaceListDelete) {
  SecretServiceStore store;
  EXPECT_TRUE(absl::IsNotFound(store.Get(kSecret).status()));
  ASSERT_TRUE(store.Put(kSecret, kValue).ok());
  ASSERT_TRUE(store.Put(kRefresh, "r1").ok());
  EXPECT_EQ(*store.Get(kSecret), kValue);
  ASSERT_TRUE(store.Put(kRefresh, "r2").ok());  // replaces, not adds
  EXPECT_EQ(*store.Get(kRefresh), "r2");
  EXPECT_TRUE(absl::IsNotFound(
      store.Get({"github", "refresh_token", "https://other"}).status()));
  EXPECT_THAT(*store.List(), UnorderedElementsAre(kSecret, kRefresh));
  ASSERT_TRUE(store.Delete(kSecret).ok());
  ASSERT_TRUE(store.Delete(kSecret).ok());  // idempotent
  EXPECT_TRUE(absl::IsNotFound(store.Get(kSecret).status()));
  EXPECT_THAT(*store.List(), UnorderedElementsAre(kRefresh));
}

TEST_F(SecretServiceStoreTest, BinaryAndLongValuesSurvive) {
  SecretServiceStore store;
  std::string value(5000, 'x');
  value[10] = '\0';
  value[20] = '\xff';
  ASSERT_TRUE(store.Put(kSecret, SecretString(value)).ok());
  EXPECT_TRUE(*store.Get(kSecret) == value);
}

TEST_F(SecretServiceStoreTest, ItemsHaveTheLabelAndAttributes) {
  SecretServiceStore store;
  ASSERT_TRUE(store.Put(kRefresh, kValue).ok());
  std::string found = SearchWithSecretTool("github");
  EXPECT_THAT(found, HasSubstr("label = mcpcred: github (refresh token)\n"));
  EXPECT_THAT(found, HasSubstr("attribute.credential = github\n"));
  EXPECT_THAT(found, HasSubstr("attribute.kind = refresh_token\n"));
  EXPECT_THAT(found, HasSubstr("attribute.scope = https://issuer.example\n"));
  EXPECT_THAT(found, HasSubstr("schema = io.mcpcred.Secret\n"));
}

TEST_F(SecretServiceStoreTest, OtherApplicationsItemsAreLeftAlone) {
  SecretServiceStore store;
  // Another application's item with the same attribute names.
  ASSERT_EQ(system("printf other | secret-tool store --label=other "
                   "credential linear kind secret scope ''"),
            0);
  EXPECT_TRUE(absl::IsNotFound(store.Get(kSecret).status()));
  EXPECT_TRUE(store.List()->empty());
  ASSERT_TRUE(store.Delete(kSecret).ok());
  EXPECT_EQ(system("secret-tool lookup credential linear kind secret "
                   "scope '' >/dev/null"),
            0);
}

// The pid of the process that owns the Secret Service name.
pid_t KeyringPid() {
  GDBusConnection* bus = g_bus_get_sync(G_BUS_TYPE_SESSION, nullptr, nullptr);
  if (bus == nullptr) return -1;
  GVariant* reply = g_dbus_connection_call_sync(
      bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
      "org.freedesktop.DBus", "GetConnectionUnixProcessID",
      g_variant_new("(s)", "org.freedesktop.secrets"), G_VARIANT_TYPE("(u)"),
      G_DBUS_CALL_FLAGS_NONE, 5000, nullptr, nullptr);
  g_object_unref(bus);
  if (reply == nullptr) return -1;
  guint32 pid = 0;
  g_variant_get(reply, "(u)", &pid);
  g_variant_unref(reply);
  return static_cast<pid_t>(pid);
}

TEST_F(SecretServiceStoreTest, AHungKeyringTimesOutAndIsUsedAgainAfter) {
  SecretServiceStore store(absl::Milliseconds(500));
  ASSERT_TRUE(store.Put(kSecret, kValue).ok());
  pid_t keyring = KeyringPid();
  ASSERT_GT(keyring, 0);
  // A keyring that stops answering, as a hung daemon does.
  ASSERT_EQ(kill(keyring, SIGSTOP), 0);
  absl::StatusOr<SecretString> got = store.Get(kSecret);
  absl::Status put = store.Put(kRefresh, "r");
  kill(keyring, SIGCONT);
  EXPECT_TRUE(absl::IsUnavailable(got.status())) << got.status();
  EXPECT_THAT(got.status().message(), HasSubstr("did not answer within"));
  EXPECT_THAT(put.message(), HasSubstr("did not answer within"));
  EXPECT_EQ(*store.Get(kSecret), kValue);
}

TEST_F(SecretServiceStoreTest, ALockedKeyringIsAClearErrorNotAPrompt) {
  SecretServiceStore store;
  ASSERT_TRUE(store.Put(kSecret, kValue).ok());
  // Lock the default collection the way a screen lock or timeout does.
  GError* error = nullptr;
  SecretService* service =
      secret_service_get_sync(SECRET_SERVICE_NONE, nullptr, &error);
  ASSERT_NE(service, nullptr);
  SecretCollection* collection =
      secret_collection_for_alias_sync(service, SECRET_COLLECTION_DEFAULT,
                                       SECRET_COLLECTION_NONE, nullptr, &error);
  ASSERT_NE(collection, nullptr);
  GList* objects = g_list_append(nullptr, collection);
  ASSERT_GE(
      secret_service_lock_sync(service, objects, nullptr, nullptr, &error), 1);
  g_list_free(objects);
  g_object_unref(collection);
  g_object_unref(service);

  absl::StatusOr<SecretString> got = store.Get(kSecret);
  EXPECT_TRUE(absl::IsUnavailable(got.status())) << got.status();
  EXPECT_THAT(got.status().message(), HasSubstr("the keyring is locked"));
  absl::Status put = store.Put(kRefresh, "r");
  EXPECT_THAT(put.message(), HasSubstr("the keyring is locked"));
  EXPECT_THAT(store.Delete(kSecret).message(),
              HasSubstr("the keyring is locked"));
  // Names stay listable: `mcpcred list` works on a locked keyring.
  EXPECT_THAT(*store.List(), IsSupersetOf({kSecret}));
}

}  // namespace
}  // namespace mcpcred
