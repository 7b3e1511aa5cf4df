// Internal modules: the parts of the agent that need large libraries only
// some configurations use (libcurl for plugins' HTTP, libsecret for the
// Secret Service store, GIO for desktop notifications), built from this tree
// as shared objects in lib/mcpcred/modules/ and loaded the first time they
// are needed, so that an agent that never needs them never maps them.
//
// A module is not a plugin: it is part of the agent, built with it and
// version-locked to it, so its interface is a plain C++ struct of function
// pointers, declared in a header of the layer it serves (e.g.
// agent/http/http_module.h):
//
//   struct HttpModule {
//     static constexpr char kName[] = "http";  // the file: modules/http.so
//     absl::StatusOr<HttpResponse> (*perform)(const HttpRequest&);
//   };
//
// The module defines the instance and exports it with
// MCPCRED_INTERNAL_MODULE(HttpModule, kInstance); the agent gets it with
// LoadInternalModule<HttpModule>(), behind the layer's usual functions, so
// callers never see that the code is loaded late.
//
// A module exchanges no memory that one side allocates with an allocator the
// other does not share: the C++ runtime and Abseil are shared libraries in
// both, but each has its own copy of the project's static libraries (so
// SecretString crosses only as bytes).
#ifndef MCPCRED_AGENT_UTIL_INTERNAL_MODULE_H_
#define MCPCRED_AGENT_UTIL_INTERNAL_MODULE_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

// What a module exports, under the name kInternalModuleSymbol.
struct mcpcred_internal_module {
  const char* build;      // MCPCRED_INTERNAL_MODULE_BUILD of its tree
  const char* name;       // Interface::kName
  size_t interface_size;  // sizeof(Interface)
  const void* interface;  // the Interface instance
};

#define MCPCRED_INTERNAL_MODULE_SYMBOL "mcpcred_internal_module_v1"
// The agent loads only modules of its own version.
#define MCPCRED_INTERNAL_MODULE_BUILD "mcpcred " MCPCRED_VERSION

// In the module's source: exports `instance` (an Interface) as the module.
#define MCPCRED_INTERNAL_MODULE(Interface, instance)                      \
  extern "C" __attribute__((visibility("default")))                       \
  const mcpcred_internal_module mcpcred_internal_module_v1 = {            \
      MCPCRED_INTERNAL_MODULE_BUILD, Interface::kName, sizeof(Interface), \
      &(instance)}

namespace mcpcred {

// Loads the module file `name`.so from the module directory once per
// process (later calls return the same interface; a module is never
// unloaded) and checks that it is the module `name` of this agent's build
// with an interface of `interface_size` bytes. The file and its directory
// are checked as plugins are (OpenTrustedFile, CheckTrustedDir). Errors
// (FAILED_PRECONDITION) are one line naming the file and why it cannot be
// used (dlerror's text, a version mismatch), e.g. "cannot load the agent's
// http module /usr/lib/mcpcred/modules/http.so: libcurl.so.4: cannot open
// shared object file"; a failed load is tried again on the next call.
// Thread-safe.
absl::StatusOr<const void*> LoadInternalModuleInterface(absl::string_view name,
                                                        size_t interface_size);

template <typename Interface>
absl::StatusOr<const Interface*> LoadInternalModule() {
  absl::StatusOr<const void*> loaded =
      LoadInternalModuleInterface(Interface::kName, sizeof(Interface));
  if (!loaded.ok()) return loaded.status();
  return static_cast<const Interface*>(*loaded);
}

// Where modules are loaded from: PathFromExecutable(MCPCRED_MODULE_RELDIR),
// unless SetInternalModuleDir said otherwise.
std::string InternalModuleDir();

// For tests whose executables do not live in the build tree's bin/: load
// modules from `dir` instead. Call before the first load.
void SetInternalModuleDir(std::string dir);

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_UTIL_INTERNAL_MODULE_H_
