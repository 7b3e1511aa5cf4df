// The agent's secret-service module (secret_service_module.h): the Secret
// Service through libsecret, loaded by SecretServiceStore at its first call.
#include <gio/gio.h>
#include <libsecret/secret.h>

#include <memory>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "agent/store/call_watchdog.h"
#include "agent/store/secret_service_module.h"
#include "agent/store/session_bus.h"
#include "agent/util/internal_module.h"

namespace mcpcred {
namespace {

constexpr char kNoService[] =
    "the Secret Service is not available on the session bus: start "
    "gnome-keyring (or another Secret Service) in this session, or set "
    "[store] backend = \"file\" in the config";
constexpr char kLocked[] =
    "the keyring is locked: unlock it (log in to the desktop, or run "
    "'gnome-keyring-daemon --unlock' and type its password), or set [store] "
    "backend = \"file\" in the config";
constexpr char kNoCollection[] =
    "the keyring has no default collection: make one the default (e.g. in "
    "Seahorse), or set [store] backend = \"file\" in the config";

const SecretSchema* Schema() {
  static const SecretSchema* const schema = [] {
    auto* s = new SecretSchema{};
    s->name = "io.mcpcred.Secret";
    s->flags = SECRET_SCHEMA_NONE;  // match on xdg:schema too
    s->attributes[0] = {"credential", SECRET_SCHEMA_ATTRIBUTE_STRING};
    s->attributes[1] = {"kind", SECRET_SCHEMA_ATTRIBUTE_STRING};
    s->attributes[2] = {"scope", SECRET_SCHEMA_ATTRIBUTE_STRING};
    return s;
  }();
  return schema;
}

struct GObjectUnref {
  void operator()(gpointer object) const { g_object_unref(object); }
};
template <typename T>
using GObjectPtr = std::unique_ptr<T, GObjectUnref>;

struct GErrorFree {
  void operator()(GError* error) const { g_error_free(error); }
};
using GErrorPtr = std::unique_ptr<GError, GErrorFree>;

struct ItemListFree {
  void operator()(GList* list) const { g_list_free_full(list, g_object_unref); }
};
using ItemList = std::unique_ptr<GList, ItemListFree>;

struct HashUnref {
  void operator()(GHashTable* table) const { g_hash_table_unref(table); }
};
using HashTable = std::unique_ptr<GHashTable, HashUnref>;

// One watched sequence of libsecret calls: cancelled at its deadline.
class Call {
 public:
  Call(CallWatchdog* watchdog, absl::Duration limit)
      : limit_(limit),
        cancellable_(g_cancellable_new()),
        watched_(watchdog, limit,
                 [c = cancellable_.get()] { g_cancellable_cancel(c); }) {}
  ~Call() {
    if (raw_error_ != nullptr) g_error_free(raw_error_);
  }
  Call(const Call&) = delete;
  Call& operator=(const Call&) = delete;

  GCancellable* cancellable() const { return cancellable_.get(); }
  bool TimedOut() const { return g_cancellable_is_cancelled(cancellable()); }
  GError** error() { return &raw_error_; }

  // The status for the GError the last call left, and resets it.
  absl::Status Failed(absl::string_view action) {
    GErrorPtr error(std::exchange(raw_error_, nullptr));
    if (TimedOut()) {
      secret_service_disconnect();  // a hung connection is not reused
      return absl::UnavailableError(
          absl::StrCat("the Secret Service did not answer within ",
                       absl::FormatDuration(limit_), " (", action, ")"));
    }
    if (error == nullptr) {
      return absl::UnavailableError(absl::StrCat("cannot ", action));
    }
    gchar* remote = g_dbus_error_get_remote_error(error.get());
    bool locked = remote != nullptr &&
                  g_str_equal(remote, "org.freedesktop.Secret.Error.IsLocked");
    g_free(remote);
    if (locked) return absl::UnavailableError(kLocked);
    if (error->domain == G_DBUS_ERROR &&
        (error->code == G_DBUS_ERROR_SERVICE_UNKNOWN ||
         error->code == G_DBUS_ERROR_NAME_HAS_NO_OWNER ||
         error->code == G_DBUS_ERROR_NO_REPLY ||
         error->code == G_DBUS_ERROR_DISCONNECTED)) {
      // The keyring went away: the next call connects afresh.
      secret_service_disconnect();
      return absl::UnavailableError(kNoService);
    }
    return absl::UnavailableError(absl::StrCat("the Secret Service cannot ",
                                               action, ": ", error->message));
  }

 private:
  const absl::Duration limit_;
  GObjectPtr<GCancellable> cancellable_;
  WatchedCall watched_;  // after cancellable_: disarmed before it is freed
  GError* raw_error_ = nullptr;
};

// GLib's shared session bus connection raises SIGTERM in the process when
// the bus goes away; an agent must outlive a restarted bus instead.
void KeepProcessOnBusClose(GDBusConnection* bus) {
  g_dbus_connection_set_exit_on_close(bus, FALSE);
}

absl::StatusOr<GObjectPtr<SecretService>> Connect(Call& call) {
  absl::Status bus = CheckSessionBusConfigured();
  if (!bus.ok()) {
    return absl::UnavailableError(
        absl::StrCat(kNoService, " (", bus.message(), ")"));
  }
  SecretService* service = secret_service_get_sync(
      SECRET_SERVICE_OPEN_SESSION, call.cancellable(), call.error());
  if (service == nullptr) {
    if (call.TimedOut()) return call.Failed("connect");
    GErrorPtr error(std::exchange(*call.error(), nullptr));
    return absl::UnavailableError(absl::StrCat(
        kNoService, " (", error != nullptr ? error->message : "", ")"));
  }
  KeepProcessOnBusClose(g_dbus_proxy_get_connection(G_DBUS_PROXY(service)));
  return GObjectPtr<SecretService>(service);
}

// The attributes naming `key`, or only the schema when `key` is null. The
// table borrows the strings of `key`.
HashTable Attributes(const StoreKey* key) {
  HashTable table(g_hash_table_new(g_str_hash, g_str_equal));
  if (key != nullptr) {
    auto put = [&](const char* name, const std::string& value) {
      g_hash_table_insert(table.get(), const_cast<char*>(name),
                          const_cast<char*>(value.c_str()));
    };
    put("credential", key->credential);
    put("kind", key->kind);
    put("scope", key->scope);
  }
  return table;
}

absl::StatusOr<ItemList> Search(SecretService* service, const StoreKey* key,
                                int flags, Call& call) {
  HashTable attributes = Attributes(key);
  GList* items = secret_service_search_sync(
      service, Schema(), attributes.get(),
      static_cast<SecretSearchFlags>(SECRET_SEARCH_ALL | flags),
      call.cancellable(), call.error());
  if (items == nullptr && *call.error() != nullptr) {
    return call.Failed("search the keyring");
  }
  return ItemList(items);
}

std::string AttributeOf(GHashTable* attributes, const char* name) {
  const char* value =
      static_cast<const char*>(g_hash_table_lookup(attributes, name));
  return value != nullptr ? value : "";
}

}  // namespace

struct SecretServiceModule::Store {
  explicit Store(absl::Duration timeout) : call_timeout(timeout) {}
  const absl::Duration call_timeout;
  absl::Mutex mu;
  CallWatchdog watchdog ABSL_GUARDED_BY(mu);
};

namespace {

using Store = SecretServiceModule::Store;

Store* Open(absl::Duration call_timeout) { return new Store(call_timeout); }

void Close(Store* store) { delete store; }

absl::Status Get(Store* store, const StoreKey& key,
                 SecretServiceModule::Sink sink, void* context) {
  absl::MutexLock lock(&store->mu);
  Call call(&store->watchdog, store->call_timeout);
  absl::StatusOr<GObjectPtr<SecretService>> service = Connect(call);
  if (!service.ok()) return service.status();
  absl::StatusOr<ItemList> items =
      Search(service->get(), &key, SECRET_SEARCH_LOAD_SECRETS, call);
  if (!items.ok()) return items.status();
  if (*items == nullptr) {
    return absl::NotFoundError(absl::StrCat(
        "no ", key.kind, " stored for credential \"", key.credential, "\""));
  }
  auto* item = static_cast<SecretItem*>(items->get()->data);
  if (secret_item_get_locked(item)) return absl::UnavailableError(kLocked);
  SecretValue* value = secret_item_get_secret(item);
  if (value == nullptr) {
    if (!secret_item_load_secret_sync(item, call.cancellable(), call.error())) {
      return call.Failed("read a secret");
    }
    value = secret_item_get_secret(item);
    if (value == nullptr) return call.Failed("read a secret");
  }
  gsize length = 0;
  const gchar* bytes = secret_value_get(value, &length);
  sink(context, bytes, length);
  secret_value_unref(value);  // libsecret wipes its copy
  return absl::OkStatus();
}

absl::Status Put(Store* store, const StoreKey& key, const std::string& label,
                 absl::string_view value) {
  absl::MutexLock lock(&store->mu);
  Call call(&store->watchdog, store->call_timeout);
  absl::StatusOr<GObjectPtr<SecretService>> service = Connect(call);
  if (!service.ok()) return service.status();
  // Checked first because storing into a locked collection would prompt.
  GObjectPtr<SecretCollection> collection(secret_collection_for_alias_sync(
      service->get(), SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE,
      call.cancellable(), call.error()));
  if (collection == nullptr) {
    if (*call.error() != nullptr) return call.Failed("find the keyring");
    return absl::UnavailableError(kNoCollection);
  }
  if (secret_collection_get_locked(collection.get())) {
    return absl::UnavailableError(kLocked);
  }
  SecretValue* secret = secret_value_new(
      value.data(), static_cast<gssize>(value.size()), "text/plain");
  HashTable attributes = Attributes(&key);
  gboolean stored = secret_service_store_sync(
      service->get(), Schema(), attributes.get(), SECRET_COLLECTION_DEFAULT,
      label.c_str(), secret, call.cancellable(), call.error());
  secret_value_unref(secret);
  if (!stored) return call.Failed("store a secret");
  return absl::OkStatus();
}

absl::Status Erase(Store* store, const StoreKey& key) {
  absl::MutexLock lock(&store->mu);
  Call call(&store->watchdog, store->call_timeout);
  absl::StatusOr<GObjectPtr<SecretService>> service = Connect(call);
  if (!service.ok()) return service.status();
  absl::StatusOr<ItemList> items = Search(service->get(), &key, 0, call);
  if (!items.ok()) return items.status();
  for (GList* node = items->get(); node != nullptr; node = node->next) {
    auto* item = static_cast<SecretItem*>(node->data);
    if (secret_item_get_locked(item)) return absl::UnavailableError(kLocked);
    if (!secret_item_delete_sync(item, call.cancellable(), call.error())) {
      return call.Failed("delete a secret");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<StoreKey>> List(Store* store) {
  absl::MutexLock lock(&store->mu);
  Call call(&store->watchdog, store->call_timeout);
  absl::StatusOr<GObjectPtr<SecretService>> service = Connect(call);
  if (!service.ok()) return service.status();
  // Attributes are readable even on locked items: listing needs no unlock.
  absl::StatusOr<ItemList> items = Search(service->get(), nullptr, 0, call);
  if (!items.ok()) return items.status();
  std::vector<StoreKey> keys;
  for (GList* node = items->get(); node != nullptr; node = node->next) {
    HashTable attributes(
        secret_item_get_attributes(static_cast<SecretItem*>(node->data)));
    keys.push_back({AttributeOf(attributes.get(), "credential"),
                    AttributeOf(attributes.get(), "kind"),
                    AttributeOf(attributes.get(), "scope")});
  }
  return keys;
}

absl::Status Probe(absl::Duration timeout) {
  absl::Status configured = CheckSessionBusConfigured();
  if (!configured.ok()) return configured;
  CallWatchdog watchdog;
  Call call(&watchdog, timeout);
  GObjectPtr<GDBusConnection> bus(
      g_bus_get_sync(G_BUS_TYPE_SESSION, call.cancellable(), call.error()));
  if (bus == nullptr) {
    GErrorPtr error(std::exchange(*call.error(), nullptr));
    return absl::UnavailableError(
        absl::StrCat("no D-Bus session bus: ",
                     error != nullptr ? error->message : "timed out"));
  }
  KeepProcessOnBusClose(bus.get());
  const int timeout_ms = static_cast<int>(absl::ToInt64Milliseconds(timeout));
  GVariant* owned = g_dbus_connection_call_sync(
      bus.get(), "org.freedesktop.DBus", "/org/freedesktop/DBus",
      "org.freedesktop.DBus", "NameHasOwner",
      g_variant_new("(s)", "org.freedesktop.secrets"), G_VARIANT_TYPE("(b)"),
      G_DBUS_CALL_FLAGS_NONE, timeout_ms, call.cancellable(), call.error());
  if (owned == nullptr) return call.Failed("ask the session bus");
  gboolean has_owner = FALSE;
  g_variant_get(owned, "(b)", &has_owner);
  g_variant_unref(owned);
  if (!has_owner) {
    return absl::UnavailableError("no Secret Service runs on the session bus");
  }
  GVariant* pong = g_dbus_connection_call_sync(
      bus.get(), "org.freedesktop.secrets", "/org/freedesktop/secrets",
      "org.freedesktop.DBus.Peer", "Ping", nullptr, nullptr,
      G_DBUS_CALL_FLAGS_NO_AUTO_START, timeout_ms, call.cancellable(),
      call.error());
  if (pong == nullptr) return call.Failed("ping the Secret Service");
  g_variant_unref(pong);
  return absl::OkStatus();
}

constexpr SecretServiceModule kSecretServiceModule = {
    &Open, &Close, &Get, &Put, &Erase, &List, &Probe};

}  // namespace
}  // namespace mcpcred

MCPCRED_INTERNAL_MODULE(mcpcred::SecretServiceModule,
                        mcpcred::kSecretServiceModule);
