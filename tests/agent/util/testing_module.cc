// An internal module for internal_module_test.cc.
#include "tests/agent/util/testing_module.h"

#include "agent/util/internal_module.h"

namespace mcpcred::testing {
namespace {

int Answer() { return 42; }

constexpr TestingModule kTestingModule = {&Answer};

}  // namespace
}  // namespace mcpcred::testing

MCPCRED_INTERNAL_MODULE(mcpcred::testing::TestingModule,
                        mcpcred::testing::kTestingModule);
