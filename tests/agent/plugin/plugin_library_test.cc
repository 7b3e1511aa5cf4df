#include "agent/plugin/plugin_library.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>

#include "absl/strings/str_cat.h"
#include "agent/plugin/plugin_registry.h"
#include "agent/plugin/provider_instance.h"
#include "agent/store/memory_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/fake_clock.h"

namespace mcpcred {
namespace {

using ::testing::HasSubstr;

// A fresh directory below the test's temporary directory that other users
// may enter (mode 0755), removed after the test.
class SharedTempDir {
 public:
  SharedTempDir() : path_(::testing::TempDir() + "mcpcred_plugin_XXXXXX") {
    EXPECT_NE(mkdtemp(path_.data()), nullptr);
    EXPECT_EQ(chmod(path_.c_str(), 0755), 0);
  }
  SharedTempDir(const SharedTempDir&) = delete;
  SharedTempDir& operator=(const SharedTempDir&) = delete;
  ~SharedTempDir() { std::filesystem::remove_all(path_); }

  // Creates `name` inside with `mode` (umask aside) and returns its path.
  std::string MakeDir(const std::string& name, mode_t mode) const {
    std::string dir = path_ + "/" + name;
    EXPECT_EQ(mkdir(dir.c_str(), 0700), 0) << dir;
    EXPECT_EQ(chmod(dir.c_str(), mode), 0) << dir;
    return dir;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The uid of "nobody", or nullopt when the test cannot act as another user:
// that needs root (for chown and setpriv) and setpriv from util-linux.
std::optional<uid_t> NobodyUid() {
  const struct passwd* nobody = getpwnam("nobody");
  if (geteuid() != 0 || nobody == nullptr ||
      std::system("command -v setpriv >/dev/null") != 0) {
    return std::nullopt;
  }
  return nobody->pw_uid;
}

// Runs `command` (a shell command line) as uid nobody, as another local user
// attacking the agent would; true if it exited 0.
bool RunAsNobody(const std::string& command) {
  return std::system(("setpriv --reuid=nobody --regid=nogroup --clear-groups " +
                      command)
                         .c_str()) == 0;
}

std::string CounterPlugin() { return TEST_PLUGIN_DIR "/counter.so"; }
std::string FailingPlugin() { return TEST_PLUGIN_DIR "/failing_create.so"; }

// The descriptor number the next open() gets: the lowest one free.
int NextFd() {
  const int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  close(fd);
  return fd;
}

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

TEST(PluginLibraryTest, PluginNeedingANewerAbiIsRefusedWithUpgradeHint) {
  auto lib = PluginLibrary::Load(BAD_PLUGIN_DIR "/wrong_abi.so");
  EXPECT_TRUE(absl::IsFailedPrecondition(lib.status()));
  EXPECT_THAT(lib.status().message(),
              HasSubstr("needs ABI version 99 but this agent implements ABI "
                        "versions 1 to 2: upgrade mcpcred-agent"));
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

// Plugins used to be checked with stat() and then loaded with dlopen() by
// path, so another user who could write the directory swapped the file in
// between. Load() now opens the file once and loads that descriptor
// (/proc/self/fd/N): there is no second lookup of the path left to race, so
// these tests check what is left, the checks on the open file itself.
TEST(PluginLibraryTest, PluginOwnedByAnotherUserIsRefused) {
  std::optional<uid_t> nobody = NobodyUid();
  if (!nobody) GTEST_SKIP() << "needs root and setpriv to act as nobody";
  SharedTempDir tmp;
  std::string drop = tmp.MakeDir("drop", 01777);
  // The other user plants a plugin of their own (a copy of a real one).
  ASSERT_TRUE(RunAsNobody("cp " + CounterPlugin() + " " + drop + "/evil.so"));
  ASSERT_EQ(chmod(drop.c_str(), 0755), 0);  // only the file is at fault now

  auto lib = PluginLibrary::Load(drop + "/evil.so");

  EXPECT_TRUE(absl::IsPermissionDenied(lib.status())) << lib.status();
  EXPECT_THAT(lib.status().message(),
              HasSubstr(absl::StrCat("plugin ", drop,
                                     "/evil.so belongs to uid ", *nobody)));
}

TEST(PluginLibraryTest, SymlinkIsNotFollowed) {
  SharedTempDir tmp;
  std::string link = tmp.path() + "/link.so";
  ASSERT_EQ(symlink(CounterPlugin().c_str(), link.c_str()), 0);

  auto lib = PluginLibrary::Load(link);

  EXPECT_TRUE(absl::IsPermissionDenied(lib.status())) << lib.status();
  EXPECT_THAT(lib.status().message(), HasSubstr("is a symbolic link"));
}

TEST(PluginLibraryTest, FifoIsRefusedWithoutBlocking) {
  SharedTempDir tmp;
  std::string fifo = tmp.path() + "/fifo.so";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0644), 0);

  auto lib = PluginLibrary::Load(fifo);

  EXPECT_TRUE(absl::IsInvalidArgument(lib.status())) << lib.status();
  EXPECT_THAT(lib.status().message(), HasSubstr("not a regular file"));
}

// glibc's dlopen() returns an object it has loaded already, rather than
// loading, when the name asked for is one of the object's names, or the file
// is the object's file (device and inode); in the second case it adds the name
// to the object. A plugin loaded as /proc/self/fd/N used to leave that name
// on an object after closing N, so the next plugin opened as N was given the
// old one. These tests open the other plugin at the very descriptor number
// the name was left for.
TEST(PluginLibraryTest, SecondPathToALoadedPluginLeavesNoNameForAnother) {
  SharedTempDir tmp;
  const std::string one = tmp.MakeDir("one", 0755);
  const std::string two = tmp.MakeDir("two", 0755);
  std::filesystem::copy_file(CounterPlugin(), one + "/a.so");
  // The same file in a second directory (as a symlinked directory or the
  // same directory listed twice would show it).
  ASSERT_EQ(link((one + "/a.so").c_str(), (two + "/a.so").c_str()), 0);
  std::filesystem::copy_file(FailingPlugin(), two + "/b.so");
  [[maybe_unused]] const int first_free = NextFd();
  {
    auto first = PluginLibrary::Load(one + "/a.so");
    ASSERT_TRUE(first.ok()) << first.status();

    const int fd = NextFd();
    {
      auto second = PluginLibrary::Load(two + "/a.so");
      ASSERT_TRUE(second.ok()) << second.status();
      EXPECT_EQ((*second)->name(), "counter");
      EXPECT_EQ((*second)->path(), two + "/a.so");
    }
    ASSERT_EQ(NextFd(), fd);  // b.so is opened as the second a.so was
    auto other = PluginLibrary::Load(two + "/b.so");

    ASSERT_TRUE(other.ok()) << other.status();
    EXPECT_EQ((*other)->name(), "failing");
    EXPECT_EQ((*first)->name(), "counter");
  }
#if !defined(MCPCRED_SANITIZE_ADDRESS) && !defined(MCPCRED_SANITIZE_LEAK)
  // Unloaded (a sanitizer build keeps plugins loaded), they keep no
  // descriptor open.
  EXPECT_EQ(NextFd(), first_free);
#endif
}

// dlclose() may leave an object loaded: it is marked RTLD_NODELETE (as every
// plugin is in a sanitizer build, and a C++ plugin with unique symbols is by
// glibc), or something else holds it, as the test does here.
TEST(PluginLibraryTest, PluginLeftLoadedAfterItsLibraryGoesStandsForNoOther) {
  SharedTempDir tmp;
  std::filesystem::copy_file(CounterPlugin(), tmp.path() + "/a.so");
  std::filesystem::copy_file(FailingPlugin(), tmp.path() + "/b.so");
  void* held = dlopen((tmp.path() + "/a.so").c_str(), RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(held, nullptr) << dlerror();

  {
    auto gone = PluginLibrary::Load(tmp.path() + "/a.so");
    ASSERT_TRUE(gone.ok()) << gone.status();
    EXPECT_EQ((*gone)->name(), "counter");
  }
  // Opened as the lowest free descriptor: a.so's, had it been closed.
  auto other = PluginLibrary::Load(tmp.path() + "/b.so");

  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_EQ((*other)->name(), "failing");
  other->reset();
  dlclose(held);
}

TEST(PluginRegistryTest, RefusesAWorldWritableDirectoryEvenIfSticky) {
  SharedTempDir tmp;
  // Like /tmp: anyone may add files, and a MCPCRED_PLUGIN_PATH entry there
  // let them choose the code the agent runs.
  std::string drop = tmp.MakeDir("drop", 01777);
  if (NobodyUid()) {
    ASSERT_TRUE(RunAsNobody("cp " + CounterPlugin() + " " + drop + "/evil.so"));
  } else {
    std::filesystem::copy_file(CounterPlugin(), drop + "/evil.so");
  }
  std::vector<std::string> errors;

  auto registry = PluginRegistry::LoadFromDirs({drop}, &errors);

  EXPECT_EQ(registry->Find("counter"), nullptr);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0],
              HasSubstr(absl::StrCat("plugin directory ", drop,
                                     " is writable by group or others "
                                     "(mode 1777): refusing to use it; run "
                                     "'chmod go-w ",
                                     drop, "'")));
}

TEST(PluginRegistryTest, RefusesADirectoryOwnedByAnotherUser) {
  std::optional<uid_t> nobody = NobodyUid();
  if (!nobody) GTEST_SKIP() << "needs root and setpriv to act as nobody";
  SharedTempDir tmp;
  std::string theirs = tmp.MakeDir("theirs", 0755);
  ASSERT_EQ(chown(theirs.c_str(), *nobody, static_cast<gid_t>(-1)), 0);
  ASSERT_TRUE(
      RunAsNobody("cp " + CounterPlugin() + " " + theirs + "/counter.so"));
  std::vector<std::string> errors;

  auto registry = PluginRegistry::LoadFromDirs({theirs}, &errors);

  EXPECT_EQ(registry->Find("counter"), nullptr);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], HasSubstr(absl::StrCat("plugin directory ", theirs,
                                                " belongs to uid ", *nobody)));
}

TEST(PluginRegistryTest, RefusesADirectoryBelowAWritableParent) {
  SharedTempDir tmp;
  // The parent is not sticky: anyone may rename "plugins" away and put
  // their own directory in its place.
  std::string parent = tmp.MakeDir("open", 0777);
  std::string dir = parent + "/plugins";
  ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
  std::filesystem::copy_file(CounterPlugin(), dir + "/counter.so");
  std::vector<std::string> errors;

  auto registry = PluginRegistry::LoadFromDirs({dir}, &errors);

  EXPECT_EQ(registry->Find("counter"), nullptr);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0],
              HasSubstr(absl::StrCat("plugin directory ", dir,
                                     ": its parent directory ", parent,
                                     " is writable by group or others")));
}

TEST(PluginRegistryTest, LoadsFromADirectoryBelowAStickyParent) {
  SharedTempDir tmp;
  std::string sticky = tmp.MakeDir("sticky", 01777);
  std::string dir = sticky + "/plugins";
  ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
  std::filesystem::copy_file(CounterPlugin(), dir + "/counter.so");
  std::vector<std::string> errors;

  auto registry = PluginRegistry::LoadFromDirs({dir}, &errors);

  EXPECT_NE(registry->Find("counter"), nullptr);
  EXPECT_TRUE(errors.empty()) << errors[0];
}

TEST(PluginRegistryTest, SamePluginInTwoDirectoriesLeavesTheOthersIntact) {
  SharedTempDir tmp;
  const std::string one = tmp.MakeDir("one", 0755);
  const std::string two = tmp.MakeDir("two", 0755);
  std::filesystem::copy_file(CounterPlugin(), one + "/counter.so");
  ASSERT_EQ(link((one + "/counter.so").c_str(), (two + "/counter.so").c_str()),
            0);
  std::filesystem::copy_file(FailingPlugin(), two + "/failing.so");
  std::vector<std::string> errors;

  auto registry = PluginRegistry::LoadFromDirs({one, two}, &errors);

  EXPECT_THAT(registry->names(), ::testing::ElementsAre("counter", "failing"));
  ASSERT_NE(registry->Find("counter"), nullptr);
  EXPECT_EQ(registry->Find("counter")->path(), one + "/counter.so");
  EXPECT_TRUE(errors.empty()) << errors[0];
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
