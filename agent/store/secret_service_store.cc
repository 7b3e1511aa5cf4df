#include "agent/store/secret_service_store.h"

#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "agent/store/session_bus.h"
#include "agent/util/internal_module.h"

namespace mcpcred {
namespace {

void CopyInto(void* context, const char* data, size_t size) {
  static_cast<SecretString*>(context)->assign(data, size);
}

}  // namespace

SecretServiceStore::SecretServiceStore(absl::Duration call_timeout)
    : call_timeout_(call_timeout) {}

SecretServiceStore::~SecretServiceStore() {
  if (store_ != nullptr) module_->close(store_);
}

absl::StatusOr<
    std::pair<const SecretServiceModule*, SecretServiceModule::Store*>>
SecretServiceStore::Module() {
  absl::MutexLock lock(&mu_);
  if (module_ == nullptr) {
    absl::StatusOr<const SecretServiceModule*> module =
        LoadInternalModule<SecretServiceModule>();
    if (!module.ok()) return absl::UnavailableError(module.status().message());
    module_ = *module;
    store_ = module_->open(call_timeout_);
  }
  return std::make_pair(module_, store_);
}

std::string SecretServiceStore::LabelFor(const StoreKey& key) {
  std::string kind = key.kind;
  if (kind == "client") kind = "client registration";
  return absl::StrCat("mcpcred: ", key.credential, " (",
                      absl::StrReplaceAll(kind, {{"_", " "}}), ")");
}

absl::StatusOr<SecretString> SecretServiceStore::Get(const StoreKey& key) {
  auto module = Module();
  if (!module.ok()) return module.status();
  SecretString value;
  absl::Status got = module->first->get(module->second, key, &CopyInto, &value);
  if (!got.ok()) return got;
  return value;
}

absl::Status SecretServiceStore::Put(const StoreKey& key,
                                     const SecretString& value) {
  auto module = Module();
  if (!module.ok()) return module.status();
  const std::string_view bytes = value.view();
  return module->first->put(module->second, key, LabelFor(key),
                            absl::string_view(bytes.data(), bytes.size()));
}

absl::Status SecretServiceStore::Delete(const StoreKey& key) {
  auto module = Module();
  if (!module.ok()) return module.status();
  return module->first->erase(module->second, key);
}

absl::StatusOr<std::vector<StoreKey>> SecretServiceStore::List() {
  auto module = Module();
  if (!module.ok()) return module.status();
  return module->first->list(module->second);
}

absl::Status SecretServiceStore::Probe(absl::Duration timeout) {
  absl::Status configured = CheckSessionBusConfigured();
  if (!configured.ok()) return configured;
  absl::StatusOr<const SecretServiceModule*> module =
      LoadInternalModule<SecretServiceModule>();
  if (!module.ok()) return absl::UnavailableError(module.status().message());
  return (*module)->probe(timeout);
}

}  // namespace mcpcred
