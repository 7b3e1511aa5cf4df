// Linked (as an object library) into the test executables that run the
// agent's code in process: they do not live in the build tree's bin/, where
// the agent finds its internal modules relative to itself, so they load the
// modules the build tree holds (agent/util/internal_module.h).
#include "agent/util/internal_module.h"

namespace {

const bool kModuleDirSet = [] {
  mcpcred::SetInternalModuleDir(MCPCRED_BUILD_MODULE_DIR);
  return true;
}();

}  // namespace
