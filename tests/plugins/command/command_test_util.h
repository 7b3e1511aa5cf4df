// Shared fixture for the "command" provider tests: loads command.so the way
// the agent does, writes small shell scripts into a private temp dir, and
// checks after every test that no child of this process was left a zombie.
#ifndef MCPCRED_TESTS_PLUGINS_COMMAND_COMMAND_TEST_UTIL_H_
#define MCPCRED_TESTS_PLUGINS_COMMAND_COMMAND_TEST_UTIL_H_

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "agent/plugin/plugin_library.h"
#include "agent/plugin/provider_instance.h"
#include "agent/store/memory_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/testing/fake_clock.h"

namespace mcpcred::command_test {

// Reads /proc/PID/stat; returns false if the process is gone. The state
// letter follows the last ')' (the command name may itself contain one).
inline bool ReadProcStat(pid_t pid, char* state, pid_t* parent) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  size_t close = stat.rfind(')');
  if (close == std::string::npos) return false;
  std::istringstream rest(stat.substr(close + 1));
  rest >> *state >> *parent;
  return !rest.fail();
}

// Children of this process that died but were never reaped.
inline std::vector<pid_t> ZombieChildren() {
  std::vector<pid_t> zombies;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return zombies;
  while (dirent* entry = readdir(proc)) {
    pid_t pid = static_cast<pid_t>(std::atoi(entry->d_name));
    char state = 0;
    pid_t parent = 0;
    if (pid > 0 && ReadProcStat(pid, &state, &parent) && state == 'Z' &&
        parent == getpid()) {
      zombies.push_back(pid);
    }
  }
  closedir(proc);
  return zombies;
}

// The descriptors open in this process.
inline std::vector<std::string> OpenDescriptors() {
  std::vector<std::string> fds;
  for (const auto& entry :
       std::filesystem::directory_iterator("/proc/self/fd")) {
    fds.push_back(entry.path().filename());
  }
  std::sort(fds.begin(), fds.end());
  return fds;
}

inline std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
}

class CommandProviderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto lib = PluginLibrary::Load(COMMAND_PLUGIN_PATH);
    ASSERT_TRUE(lib.ok()) << lib.status();
    library_ = std::move(*lib);
    std::string pattern = ::testing::TempDir();
    if (pattern.empty() || pattern.back() != '/') pattern += '/';
    pattern += "command-test-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    fds_before_ = OpenDescriptors();
  }

  void TearDown() override {
    EXPECT_THAT(ZombieChildren(), ::testing::IsEmpty());
    // Every pipe and pidfd of every run was closed.
    EXPECT_EQ(OpenDescriptors(), fds_before_);
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // Writes an executable /bin/sh script and returns its absolute path.
  std::string WriteScript(const std::string& name, const std::string& body) {
    std::string path = dir_ + "/" + name;
    {
      std::ofstream out(path);
      out << "#!/bin/sh\n" << body << "\n";
    }
    chmod(path.c_str(), 0700);
    return path;
  }

  absl::StatusOr<std::unique_ptr<ProviderInstance>> Create(
      const nlohmann::json& config, std::string* error_key = nullptr) {
    std::string key;
    auto instance = ProviderInstance::Create(library_, "test-cred", config,
                                             &store_, &clock_, &key);
    if (error_key != nullptr) *error_key = key;
    return instance;
  }

  // Writes `body` as a script, creates an instance running it (with
  // `extra` config keys) and fetches once.
  absl::StatusOr<FetchedToken> FetchFrom(
      const std::string& body,
      nlohmann::json extra = nlohmann::json::object()) {
    script_ = WriteScript("get-token", body);
    extra["command"] = {script_};
    auto instance = Create(extra);
    if (!instance.ok()) return instance.status();
    return (*instance)->Fetch();
  }

  // The "command \"...\"" prefix every fetch error of the last script starts
  // with.
  std::string Named() const { return "command \"" + script_ + "\""; }

  std::shared_ptr<const PluginLibrary> library_;
  MemoryStore store_;
  FakeClock clock_;
  std::string dir_;
  std::string script_;
  std::vector<std::string> fds_before_;
};

}  // namespace mcpcred::command_test

#endif  // MCPCRED_TESTS_PLUGINS_COMMAND_COMMAND_TEST_UTIL_H_
