// The host services as a plugin calls them: the token sink's caps.
#include "agent/plugin/host_services.h"

#include <string>

#include "agent/plugin/plugin_library.h"
#include "agent/plugin/provider_instance.h"
#include "agent/store/memory_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/fake_clock.h"

namespace mcpcred {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

mcpcred_host_token_set_fn TokenSet() {
  for (const mcpcred_dispatch* d = HostDispatch(); d->id != 0; ++d) {
    if (d->id == MCPCRED_HOST_TOKEN_SET) {
      return reinterpret_cast<mcpcred_host_token_set_fn>(d->function);
    }
  }
  return nullptr;
}

int32_t Set(mcpcred_token_sink* sink, const std::string& name,
            const std::string& value) {
  return TokenSet()(sink, name.c_str(), value.data(), value.size());
}

TEST(TokenSinkTest, TakesValuesUpToTheCap) {
  mcpcred_token_sink sink;
  ASSERT_EQ(Set(&sink, "access_token", std::string(kMaxTokenValueBytes, 'a')),
            MCPCRED_OK);
  ASSERT_EQ(Set(&sink, "access_token", "short"), MCPCRED_OK);  // replaced
  EXPECT_EQ(sink.variables.at("access_token"), "short");
  EXPECT_EQ(sink.bytes, std::string("access_token").size() + 5);
  EXPECT_TRUE(sink.refused.empty());
}

TEST(TokenSinkTest, RefusesAValueOverTheCapWithoutQuotingIt) {
  mcpcred_token_sink sink;
  const std::string huge(kMaxTokenValueBytes + 1, 'q');
  EXPECT_NE(Set(&sink, "access_token", huge), MCPCRED_OK);
  EXPECT_TRUE(sink.variables.empty());
  EXPECT_THAT(sink.refused, HasSubstr("\"access_token\" is 65537 bytes, more "
                                      "than the 64 KiB a value may have"));
  EXPECT_THAT(sink.refused, Not(HasSubstr("qqqq")));
}

TEST(TokenSinkTest, RefusesMoreThanAMebibyteInAll) {
  mcpcred_token_sink sink;
  const std::string value(60 << 10, 'v');
  int32_t rc = MCPCRED_OK;
  int set = 0;
  for (; set < 40 && rc == MCPCRED_OK; ++set) {
    rc = Set(&sink, "v" + std::to_string(set), value);
  }
  EXPECT_NE(rc, MCPCRED_OK);
  EXPECT_LE(sink.bytes, kMaxTokenBytes);
  EXPECT_THAT(sink.refused, HasSubstr("add up to more than the 1 MiB"));
}

TEST(TokenSinkTest, RefusesTooManyOrBadlyNamedVariables) {
  mcpcred_token_sink sink;
  EXPECT_NE(Set(&sink, "", "x"), MCPCRED_OK);
  EXPECT_NE(Set(&sink, std::string(kMaxTokenVariableName + 1, 'n'), "x"),
            MCPCRED_OK);
  for (size_t i = 0; i < kMaxTokenVariables; ++i) {
    ASSERT_EQ(Set(&sink, "v" + std::to_string(i), "x"), MCPCRED_OK);
  }
  EXPECT_NE(Set(&sink, "one-more", "x"), MCPCRED_OK);
}

// A plugin that ignores the refusal and reports success: the fetch fails
// anyway, naming the credential and never the value.
TEST(TokenSinkTest, FetchFailsNamingTheCredential) {
  auto lib = PluginLibrary::Load(TEST_PLUGIN_DIR "/counter.so");
  ASSERT_TRUE(lib.ok()) << lib.status();
  MemoryStore store;
  FakeClock clock;
  std::string key;
  auto instance = ProviderInstance::Create(std::move(*lib), "huge",
                                           {{"token_bytes", 64 << 20}}, &store,
                                           &clock, &key);
  ASSERT_TRUE(instance.ok()) << instance.status();

  absl::StatusOr<FetchedToken> token = (*instance)->Fetch();

  EXPECT_TRUE(absl::IsResourceExhausted(token.status())) << token.status();
  EXPECT_THAT(token.status().message(),
              HasSubstr("credential \"huge\": the provider's value for "
                        "\"access_token\" is 67108864 bytes"));
  EXPECT_LT(token.status().message().size(), 300u);
}

}  // namespace
}  // namespace mcpcred
