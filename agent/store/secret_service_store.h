// A SecretStore in the Secret Service (GNOME Keyring, KWallet, KeePassXC...)
// through libsecret: one item per entry in the default collection, schema
// "io.mcpcred.Secret" with attributes credential, kind and scope, labelled
// for people ("mcpcred: github (refresh token)").
//
// libsecret and GIO are in the agent's secret-service module
// (secret_service_module.h), loaded at the first call; when it cannot be
// loaded every call fails with UNAVAILABLE naming the file and why.
//
// It never prompts: a locked collection is an error saying how to unlock it,
// because a prompt from a daemon may wait for a person forever. Every call
// is a D-Bus round trip and may block up to the call timeout: call it from
// worker threads only, never from a gRPC reactor.
//
// Thread-safe: calls run one at a time.
#ifndef MCPCRED_AGENT_STORE_SECRET_SERVICE_STORE_H_
#define MCPCRED_AGENT_STORE_SECRET_SERVICE_STORE_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "agent/store/secret_service_module.h"
#include "agent/store/secret_store.h"

namespace mcpcred {

class SecretServiceStore final : public SecretStore {
 public:
  // Connects on first use, so the agent starts even before the keyring does
  // (and starts no thread: it may fork after).
  explicit SecretServiceStore(absl::Duration call_timeout = absl::Seconds(5));
  ~SecretServiceStore() override;

  std::string name() const override { return "secret-service"; }
  std::string location() const override { return "default collection"; }
  // UNAVAILABLE when no Secret Service answers or the collection is locked,
  // with what to do in the message.
  absl::StatusOr<SecretString> Get(const StoreKey& key) override;
  absl::Status Put(const StoreKey& key, const SecretString& value) override;
  absl::Status Delete(const StoreKey& key) override;
  absl::StatusOr<std::vector<StoreKey>> List() override;

  // OK if a Secret Service is running on the session bus and answers within
  // `timeout`; never starts one through D-Bus activation (on a headless
  // machine that would start a keyring nobody can unlock). UNAVAILABLE
  // saying why not. Without a session bus it answers without loading the
  // module; else it starts GLib's D-Bus thread: call after any fork.
  static absl::Status Probe(absl::Duration timeout);

  // The label of an entry's item: "mcpcred: NAME (KIND)".
  static std::string LabelFor(const StoreKey& key);

 private:
  // The module and this store's state in it, loaded on first use.
  absl::StatusOr<
      std::pair<const SecretServiceModule*, SecretServiceModule::Store*>>
  Module();

  const absl::Duration call_timeout_;
  absl::Mutex mu_;
  const SecretServiceModule* module_ ABSL_GUARDED_BY(mu_) = nullptr;
  SecretServiceModule::Store* store_ ABSL_GUARDED_BY(mu_) = nullptr;
};

}  // namespace mcpcred

#endif  // MCPCRED_AGENT_STORE_SECRET_SERVICE_STORE_H_
