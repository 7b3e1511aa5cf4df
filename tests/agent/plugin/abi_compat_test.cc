// ABI compatibility: plugins built for older and newer ABI versions, unknown
// function ids, the SDK's negotiation with an ABI 1 host, and the exception
// guard of the entries the SDK generates.
#include <dlfcn.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "agent/plugin/host_services.h"
#include "agent/plugin/plugin_library.h"
#include "agent/plugin/plugin_registry.h"
#include "agent/plugin/provider_instance.h"
#include "agent/store/memory_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/fake_clock.h"

namespace mcpcred {
namespace {

using ::testing::HasSubstr;

absl::StatusOr<FetchedToken> LoadAndFetch(const std::string& path,
                                          const nlohmann::json& config,
                                          uint32_t* abi) {
  auto lib = PluginLibrary::Load(path);
  if (!lib.ok()) return lib.status();
  *abi = (*lib)->abi_version();
  static MemoryStore store;
  static FakeClock clock;
  auto instance = ProviderInstance::Create(std::move(*lib), "x", config, &store,
                                           &clock, nullptr);
  if (!instance.ok()) return instance.status();
  return (*instance)->Fetch();
}

TEST(AbiCompatTest, Abi1PluginLoadsWithItsOwnIdsAndStructSize) {
  // Its description ends at a PROT_NONE page: reading past struct_size would
  // crash this test. Its unknown id 77 would exit(3) if called.
  uint32_t abi = 0;
  auto token = LoadAndFetch(MCPCRED_ABI_PLUGIN_DIR "/legacy_abi1.so",
                            nlohmann::json::object(), &abi);
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(abi, MCPCRED_ABI_VERSION_1);
  EXPECT_EQ(token->token, "from-abi-1");
}

TEST(AbiCompatTest, Abi1PluginsStopIsFoundUnderItsAbi1Id) {
  // stop() came to ABI 1 as id 8; the host must read it as MCPCRED_PROV_STOP.
  auto lib = PluginLibrary::Load(MCPCRED_ABI_PLUGIN_DIR "/legacy_abi1.so");
  ASSERT_TRUE(lib.ok()) << lib.status();
  std::shared_ptr<const PluginLibrary> shared = std::move(*lib);
  MemoryStore store;
  FakeClock clock;
  auto instance = ProviderInstance::Create(
      shared, "x", nlohmann::json::object(), &store, &clock, nullptr);
  ASSERT_TRUE(instance.ok()) << instance.status();
  auto before = (*instance)->Fetch();
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_EQ(before->token, "from-abi-1");
  shared->Stop();
  auto after = (*instance)->Fetch();
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->token, "stopped-abi-1");
}

TEST(AbiCompatTest, NewerPluginNegotiatesDownAndUnknownIdIsSkipped) {
  uint32_t abi = 0;
  auto token = LoadAndFetch(MCPCRED_ABI_PLUGIN_DIR "/future_abi.so",
                            nlohmann::json::object(), &abi);
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(abi, MCPCRED_ABI_VERSION);
  EXPECT_EQ(token->token, "negotiated-down");
}

TEST(AbiCompatTest, DescriptionShorterThanAnyVersionIsRefusedUnread) {
  // `flags` would lie in a PROT_NONE page: reading it would crash the test.
  auto lib = PluginLibrary::Load(MCPCRED_ABI_PLUGIN_DIR "/truncated_info.so");
  EXPECT_TRUE(absl::IsInvalidArgument(lib.status()));
  EXPECT_THAT(lib.status().message(),
              HasSubstr("has a malformed description: struct_size too small"));
}

TEST(AbiCompatTest, PluginAnsweringAboveTheOfferIsRefused) {
  auto lib = PluginLibrary::Load(MCPCRED_ABI_PLUGIN_DIR "/overreaching_abi.so");
  EXPECT_TRUE(absl::IsFailedPrecondition(lib.status()));
  EXPECT_THAT(lib.status().message(),
              HasSubstr("answered ABI version 3 to an offer of at most 2: it "
                        "must negotiate down or refuse"));
}

TEST(AbiCompatTest, TableWithHostServiceIdsIsRefused) {
  auto lib = PluginLibrary::Load(MCPCRED_ABI_PLUGIN_DIR "/mixed_up_table.so");
  EXPECT_TRUE(absl::IsInvalidArgument(lib.status()));
  EXPECT_THAT(lib.status().message(),
              HasSubstr("lists host service id 1 among its own functions"));
}

TEST(AbiCompatTest, BuiltInProvidersLoadWithTheCurrentAbi) {
  std::vector<std::string> errors;
  auto registry = PluginRegistry::LoadFromDirs({STATIC_PLUGIN_DIR}, &errors);
  for (const std::string& error : errors) ADD_FAILURE() << error;
  EXPECT_EQ(registry->names().size(), 4u);
  for (const std::string& name : registry->names()) {
    EXPECT_EQ(registry->Find(name)->abi_version(), MCPCRED_ABI_VERSION) << name;
  }
}

// An SDK plugin (command, with the optional stop()) asked by a host that
// implements only ABI 1, then by this one.
TEST(AbiCompatTest, SdkAnswersAbi1HostWithRenumberedTable) {
  void* handle = dlopen(STATIC_PLUGIN_DIR "/command.so", RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(handle, nullptr) << dlerror();
  auto entry = reinterpret_cast<mcpcred_provider_entry_fn>(
      dlsym(handle, MCPCRED_PROVIDER_ENTRY_SYMBOL));
  ASSERT_NE(entry, nullptr);
  uint32_t abi = 0;
  const mcpcred_dispatch* table = nullptr;
  ASSERT_EQ(entry(MCPCRED_ABI_VERSION_1, HostDispatch(), &abi, &table),
            MCPCRED_OK);
  EXPECT_EQ(abi, MCPCRED_ABI_VERSION_1);
  std::vector<int32_t> ids;
  for (; table->id != 0; ++table) ids.push_back(table->id);
  EXPECT_THAT(ids, ::testing::ElementsAre(1, 2, 3, 4, 8));

  ASSERT_EQ(entry(MCPCRED_ABI_VERSION, HostDispatch(), &abi, &table),
            MCPCRED_OK);
  EXPECT_EQ(abi, MCPCRED_ABI_VERSION);
  EXPECT_EQ(table->id, MCPCRED_PROV_INFO);
  EXPECT_NE(
      mcpcred_get_prov_stop(mcpcred_dispatch_find(table, MCPCRED_PROV_STOP)),
      nullptr);
  dlclose(handle);
}

TEST(AbiCompatTest, SdkRefusesHostWithoutRequiredServices) {
  void* handle = dlopen(TEST_PLUGIN_DIR "/counter.so", RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(handle, nullptr) << dlerror();
  auto entry = reinterpret_cast<mcpcred_provider_entry_fn>(
      dlsym(handle, MCPCRED_PROVIDER_ENTRY_SYMBOL));
  // The real host table without its token sink.
  std::vector<mcpcred_dispatch> partial;
  for (const mcpcred_dispatch* d = HostDispatch(); d->id != 0; ++d) {
    if (d->id != MCPCRED_HOST_TOKEN_SET) partial.push_back(*d);
  }
  partial.push_back({0, nullptr});
  uint32_t abi = 0;
  const mcpcred_dispatch* table = nullptr;
  EXPECT_EQ(entry(MCPCRED_ABI_VERSION, partial.data(), &abi, &table),
            MCPCRED_ERR_UNSUPPORTED);
  dlclose(handle);
}

TEST(AbiCompatTest, TypedExtractorChecksTheId) {
  const mcpcred_dispatch* log =
      mcpcred_dispatch_find(HostDispatch(), MCPCRED_HOST_LOG);
  ASSERT_NE(log, nullptr);
  EXPECT_NE(mcpcred_get_host_log(log), nullptr);
  EXPECT_EQ(mcpcred_get_host_now_ms(log), nullptr);  // another id
  EXPECT_EQ(mcpcred_get_host_log(nullptr), nullptr);
  EXPECT_EQ(mcpcred_dispatch_find(HostDispatch(), 12345), nullptr);
}

// A secret store that fails the way no store should: by throwing.
class ThrowingStore final : public SecretStore {
 public:
  std::string name() const override { return "throwing"; }
  absl::StatusOr<SecretString> Get(const StoreKey&) override {
    throw std::runtime_error("store exploded");
  }
  absl::Status Put(const StoreKey&, const SecretString&) override {
    return absl::OkStatus();
  }
  absl::Status Delete(const StoreKey&) override { return absl::OkStatus(); }
  absl::StatusOr<std::vector<StoreKey>> List() override {
    return std::vector<StoreKey>{};
  }
};

TEST(HostGuardTest, AnExceptionInAHostServiceStaysInTheAgent) {
  auto store_get = mcpcred_get_host_store_get(
      mcpcred_dispatch_find(HostDispatch(), MCPCRED_HOST_STORE_GET));
  ASSERT_NE(store_get, nullptr);
  ThrowingStore store;
  mcpcred_host_ctx host;
  host.credential = "x";
  host.store = &store;
  char* value = nullptr;
  size_t len = 0;
  mcpcred_error error{};
  EXPECT_EQ(store_get(&host, "secret", "", &value, &len, &error),
            MCPCRED_ERR_INTERNAL);
  EXPECT_EQ(error.code, MCPCRED_ERR_INTERNAL);
  EXPECT_STREQ(error.message, "the agent failed: store exploded");
  EXPECT_EQ(value, nullptr);
}

absl::Status FetchThrowing(const std::string& mode) {
  uint32_t abi = 0;
  return LoadAndFetch(MCPCRED_ABI_PLUGIN_DIR "/throwing.so", {{"mode", mode}},
                      &abi)
      .status();
}

TEST(SdkGuardTest, ThrownSdkErrorKeepsItsCode) {
  absl::Status status = FetchThrowing("error");
  EXPECT_TRUE(absl::IsUnavailable(status)) << status;
  EXPECT_EQ(status.message(), "upstream is down");
}

TEST(SdkGuardTest, StdExceptionBecomesInternalWithItsMessage) {
  absl::Status status = FetchThrowing("runtime");
  EXPECT_TRUE(absl::IsInternal(status)) << status;
  EXPECT_EQ(status.message(), "the provider failed: boom");
}

TEST(SdkGuardTest, AnyOtherExceptionBecomesInternal) {
  absl::Status status = FetchThrowing("other");
  EXPECT_TRUE(absl::IsInternal(status)) << status;
  EXPECT_THAT(status.message(), HasSubstr("unknown exception"));
}

TEST(SdkGuardTest, ExceptionInStopStaysInThePlugin) {
  auto lib = PluginLibrary::Load(MCPCRED_ABI_PLUGIN_DIR "/throwing.so");
  ASSERT_TRUE(lib.ok()) << lib.status();
  // Its stop() throws; the guard must swallow it (else std::terminate).
  (*lib)->Stop();
}

TEST(SdkGuardTest, ExceptionInCreateIsReported) {
  // The JSON has no "mode": nlohmann throws out of create(); destroy() of the
  // instances above threw too, and the process is still here.
  auto lib = PluginLibrary::Load(MCPCRED_ABI_PLUGIN_DIR "/throwing.so");
  ASSERT_TRUE(lib.ok()) << lib.status();
  MemoryStore store;
  FakeClock clock;
  auto instance = ProviderInstance::Create(
      std::move(*lib), "x", nlohmann::json::object(), &store, &clock, nullptr);
  EXPECT_TRUE(absl::IsInternal(instance.status())) << instance.status();
  EXPECT_THAT(instance.status().message(), HasSubstr("the provider failed: "));
}

}  // namespace
}  // namespace mcpcred
