// Test plugin: a shared object that is not an mcpcred plugin (no entry point).
#include "mcpcred/provider.h"

extern "C" MCPCRED_EXPORT int some_other_library_function(void) { return 42; }
