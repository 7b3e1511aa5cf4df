#include "agent/util/internal_module.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstring>
#include <map>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "agent/util/fs.h"

namespace mcpcred {
namespace {

struct Modules {
  absl::Mutex mu;
  std::string dir ABSL_GUARDED_BY(mu);
  bool dir_set ABSL_GUARDED_BY(mu) = false;
  // name -> interface, for the modules loaded so far.
  std::map<std::string, const void*, std::less<>> loaded ABSL_GUARDED_BY(mu);
};

Modules& State() {
  static Modules* const modules = new Modules();
  return *modules;
}

std::string DirLocked(Modules& modules)
    ABSL_EXCLUSIVE_LOCKS_REQUIRED(modules.mu) {
  if (!modules.dir_set) {
    modules.dir = PathFromExecutable(MCPCRED_MODULE_RELDIR);
    modules.dir_set = true;
  }
  return modules.dir;
}

absl::Status Unusable(absl::string_view name, const std::string& path,
                      absl::string_view why) {
  return absl::FailedPreconditionError(absl::StrCat(
      "cannot load the agent's ", name, " module ", path, ": ", why));
}

// The interface `handle` exports, if it is module `name` of this build.
absl::StatusOr<const void*> Interface(void* handle, absl::string_view name,
                                      const std::string& path,
                                      size_t interface_size) {
  const auto* module = static_cast<const mcpcred_internal_module*>(
      dlsym(handle, MCPCRED_INTERNAL_MODULE_SYMBOL));
  if (module == nullptr) {
    return Unusable(name, path,
                    "it does not export " MCPCRED_INTERNAL_MODULE_SYMBOL);
  }
  if (module->build == nullptr ||
      std::strcmp(module->build, MCPCRED_INTERNAL_MODULE_BUILD) != 0) {
    return Unusable(
        name, path,
        absl::StrCat("it was built for ",
                     module->build != nullptr ? module->build : "another build",
                     ", not " MCPCRED_INTERNAL_MODULE_BUILD,
                     ": reinstall mcpcred"));
  }
  if (module->name == nullptr || name != module->name ||
      module->interface_size != interface_size ||
      module->interface == nullptr) {
    return Unusable(name, path, "it is not this module: reinstall mcpcred");
  }
  return module->interface;
}

// Opens, checks and loads `path`; never unloaded once it fits.
absl::StatusOr<const void*> Load(absl::string_view name, const std::string& dir,
                                 size_t interface_size) {
  const std::string path = absl::StrCat(dir, "/", name, ".so");
  if (dir.empty()) return Unusable(name, path, "cannot read /proc/self/exe");
  absl::Status trusted = CheckTrustedDir(dir, "module directory");
  if (!trusted.ok()) return Unusable(name, path, trusted.message());
  absl::StatusOr<int> fd = OpenTrustedFile(path, "module");
  if (!fd.ok()) return Unusable(name, path, fd.status().message());
  close(*fd);
  // By its path: with the directory and its parents trusted, nobody else
  // can replace the file just checked, and a module, never unloaded, keeps a
  // name of its own (plugins load through their checked fd instead, as their
  // directories may be the user's; see plugin_library.cc).
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    return Unusable(name, path, why != nullptr ? why : "dlopen failed");
  }
  absl::StatusOr<const void*> interface =
      Interface(handle, name, path, interface_size);
  if (!interface.ok()) dlclose(handle);
  return interface;
}

}  // namespace

absl::StatusOr<const void*> LoadInternalModuleInterface(absl::string_view name,
                                                        size_t interface_size) {
  Modules& modules = State();
  absl::MutexLock lock(&modules.mu);
  auto it = modules.loaded.find(name);
  if (it != modules.loaded.end()) return it->second;
  absl::StatusOr<const void*> loaded =
      Load(name, DirLocked(modules), interface_size);
  if (loaded.ok()) modules.loaded.emplace(std::string(name), *loaded);
  return loaded;
}

std::string InternalModuleDir() {
  Modules& modules = State();
  absl::MutexLock lock(&modules.mu);
  return DirLocked(modules);
}

void SetInternalModuleDir(std::string dir) {
  Modules& modules = State();
  absl::MutexLock lock(&modules.mu);
  modules.dir = std::move(dir);
  modules.dir_set = true;
}

}  // namespace mcpcred
