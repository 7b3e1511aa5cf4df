#include "agent/plugin/plugin_library.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "agent/plugin/plugin_registry.h"
#include "agent/plugin/provider_instance.h"
#include "agent/store/memory_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/fake_clock.h"

namespace mcpcred {
namespace {

using ::testing::HasSubstr;

TEST(PluginLibraryTest, LoadsCounterPluginAndReadsItsSchema) {
  auto lib = PluginLibrary::Load(TEST_PLUGIN_DIR "/counter.so");
  ASSERT_TRUE(lib.ok()) << lib.status();
  EXPECT_EQ((*lib)->name(), "counter");
  EXPECT_EQ((*lib)->abi_version(), MCPCRED_ABI_VERSION);
  ASSERT_EQ((*lib)->schema().fields.size(), 5u);
  EXPECT_EQ((*lib)->schema().fields[0].name, "ttl_ms");
  EXPECT_EQ((*lib)->schema().fields[0].type, config::FieldType::kInteger);
  EXPECT_THAT((*lib)->schema().variables,
              ::testing::ElementsAre("access_token", "count"));
  EXPECT_FALSE((*lib)->has_login());
}

TEST(PluginLibraryTest, MissingFileIsNotFound) {
  auto lib = PluginLibrary::Load(TEST_PLUGIN_DIR "/nope.so");
  EXPECT_TRUE(absl::IsNotFound(lib.status()));
  EXPECT_THAT(lib.status().message(), HasSubstr("nope.so not found"));
}

TEST(PluginLibraryTest, LibraryWithoutEntryPointIsNotAPlugin) {
  auto lib = PluginLibrary::Load(BAD_PLUGIN_DIR "/no_entry.so");
  EXPECT_TRUE(absl::IsInvalidArgument(lib.status()));
  EXPECT_THAT(lib.status().message(),
              HasSubstr("is not an mcpcred plugin: it does not export "
                        "mcpcred_provider_entry"));
}

TEST(PluginLibraryTest, UnsupportedAbiVersionIsRefused) {
  auto lib = PluginLibrary::Load(BAD_PLUGIN_DIR "/wrong_abi.so");
  EXPECT_TRUE(absl::IsFailedPrecondition(lib.status()));
  EXPECT_THAT(lib.status().message(),
              HasSubstr("does not support ABI version 1"));
}

TEST(PluginLibraryTest, FileThatIsNotASharedObjectFailsToLoad) {
  std::string path = ::testing::TempDir() + "/garbage.so";
  std::ofstream(path) << "not an ELF file";
  chmod(path.c_str(), 0644);
  auto lib = PluginLibrary::Load(path);
  EXPECT_TRUE(absl::IsInvalidArgument(lib.status()));
  EXPECT_THAT(lib.status().message(), HasSubstr("cannot load plugin"));
}

TEST(PluginLibraryTest, WorldWritablePluginIsRefused) {
  std::string path = ::testing::TempDir() + "/writable.so";
  std::ofstream(path) << "x";
  chmod(path.c_str(), 0666);
  auto lib = PluginLibrary::Load(path);
  EXPECT_TRUE(absl::IsPermissionDenied(lib.status()));
  EXPECT_THAT(lib.status().message(), HasSubstr("writable by group or others"));
}

TEST(PluginLibraryTest, CreateFailureCarriesPluginMessageAndKey) {
  auto lib = PluginLibrary::Load(TEST_PLUGIN_DIR "/failing_create.so");
  ASSERT_TRUE(lib.ok()) << lib.status();
  MemoryStore store;
  FakeClock clock;
  std::string key;
  auto instance = ProviderInstance::Create(
      std::move(*lib), "x", nlohmann::json::object(), &store, &clock, &key);
  EXPECT_TRUE(absl::IsInvalidArgument(instance.status()));
  EXPECT_EQ(instance.status().message(), "region \"mars\" does not exist");
  EXPECT_EQ(key, "region");
}

TEST(PluginRegistryTest, LoadsGoodPluginsAndReportsBadOnes) {
  std::vector<std::string> errors;
  auto registry =
      PluginRegistry::LoadFromDirs({TEST_PLUGIN_DIR, BAD_PLUGIN_DIR}, &errors);
  EXPECT_NE(registry->Find("counter"), nullptr);
  EXPECT_NE(registry->Find("failing"), nullptr);
  EXPECT_EQ(registry->Find("static"), nullptr);
  EXPECT_EQ(errors.size(), 2u);  // no_entry.so and wrong_abi.so
  ASSERT_NE(registry->schemas()("counter"), nullptr);
  EXPECT_EQ(registry->schemas()("nope"), nullptr);
}

TEST(StaticProviderTest, ServesSecretFromEnvironment) {
  std::vector<std::string> errors;
  auto registry = PluginRegistry::LoadFromDirs({STATIC_PLUGIN_DIR}, &errors);
  auto lib = registry->Find("static");
  ASSERT_NE(lib, nullptr);
  setenv("MCPCRED_TEST_STATIC_SECRET", "s3cr3t-value", 1);
  MemoryStore store;
  FakeClock clock;
  std::string key;
  auto instance = ProviderInstance::Create(
      lib, "api", {{"secret", "env:MCPCRED_TEST_STATIC_SECRET"}}, &store,
      &clock, &key);
  ASSERT_TRUE(instance.ok()) << instance.status();
  auto token = (*instance)->Fetch();
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(token->token, "s3cr3t-value");
  EXPECT_EQ(token->variables.at("secret"), "s3cr3t-value");
  EXPECT_FALSE(token->expires_at.has_value());
}

TEST(StaticProviderTest, MissingEnvVariableFailsCreateNamingKey) {
  std::vector<std::string> errors;
  auto registry = PluginRegistry::LoadFromDirs({STATIC_PLUGIN_DIR}, &errors);
  unsetenv("MCPCRED_TEST_UNSET");
  MemoryStore store;
  FakeClock clock;
  std::string key;
  auto instance = ProviderInstance::Create(
      registry->Find("static"), "api", {{"secret", "env:MCPCRED_TEST_UNSET"}},
      &store, &clock, &key);
  EXPECT_TRUE(absl::IsFailedPrecondition(instance.status()));
  EXPECT_THAT(instance.status().message(),
              HasSubstr("MCPCRED_TEST_UNSET is not set"));
  EXPECT_EQ(key, "secret");
}

TEST(StaticProviderTest, KeyringSecretIsReadOnEachFetch) {
  std::vector<std::string> errors;
  auto registry = PluginRegistry::LoadFromDirs({STATIC_PLUGIN_DIR}, &errors);
  MemoryStore store;
  FakeClock clock;
  std::string key;
  auto instance = ProviderInstance::Create(registry->Find("static"), "api",
                                           {{"secret", "keyring:linear"}},
                                           &store, &clock, &key);
  ASSERT_TRUE(instance.ok()) << instance.status();
  auto missing = (*instance)->Fetch();
  EXPECT_TRUE(absl::IsFailedPrecondition(missing.status()));
  EXPECT_THAT(missing.status().message(),
              HasSubstr("run 'mcpcred add linear'"));
  ASSERT_TRUE(store.Put({"linear", "secret", ""}, "lin-api-key").ok());
  auto found = (*instance)->Fetch();
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->token, "lin-api-key");
}

}  // namespace
}  // namespace mcpcred
