// The `mcpcred add` / restart / `mcpcred remove` flow against a real agent,
// shared by the file store suite (store_file_test.cc) and the Secret Service
// suite (store_keyring_test.cc, run under with_keyring.sh).
#ifndef MCPCRED_TESTS_INTEGRATION_STORE_FLOW_H_
#define MCPCRED_TESTS_INTEGRATION_STORE_FLOW_H_

#include <string>

#include "tests/integration/agent_fixture.h"

namespace mcpcred::testing {

class StoreFlowTest : public AgentTest {
 protected:
  // Writes a config with `[store] backend` and a static credential "linear"
  // with secret = "keyring:linear" and env LINEAR_API_KEY.
  void WriteStoreConfig(const std::string& backend);
  // The environment overrides the agent needs: the session bus, when the
  // test runs in one.
  Environment AgentEnv() const;
  AgentProcess* StartStoreAgent() { return StartAgent({}, AgentEnv()); }

  // `mcpcred add NAME` with `value` on stdin; expects success.
  void Add(const std::string& name, const std::string& value);
  // `mcpcred token linear`: the value, or "" after a failure (shown).
  std::string TokenOfLinear();

  // add from stdin -> served; restart -> still served; remove -> the request
  // fails saying to run `mcpcred add linear`; remove again -> OK.
  void CheckAddRestartRemove(const std::string& backend);
  // A second add replaces the value at once, without a reload.
  void CheckReplaceTakesEffectAtOnce(const std::string& backend);
  // `mcpcred list` and `status` name the store and what it holds, never a
  // value.
  void CheckListAndStatusShowTheStore(const std::string& backend);
};

}  // namespace mcpcred::testing

#endif  // MCPCRED_TESTS_INTEGRATION_STORE_FLOW_H_
