// The interface of the test's internal module (testing_module.cc), built
// once as this build's and once as another version's.
#ifndef MCPCRED_TESTS_AGENT_UTIL_TESTING_MODULE_H_
#define MCPCRED_TESTS_AGENT_UTIL_TESTING_MODULE_H_

namespace mcpcred::testing {

struct TestingModule {
  static constexpr char kName[] = "testing";
  int (*answer)();
};

}  // namespace mcpcred::testing

#endif  // MCPCRED_TESTS_AGENT_UTIL_TESTING_MODULE_H_
