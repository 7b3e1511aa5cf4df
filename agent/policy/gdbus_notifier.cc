// The agent's desktop-notifier module (notifier_module.h): the question as a
// desktop notification through GIO's GDBus, loaded by AskByNotification at
// its first use.

#include <gio/gio.h>
#include <glib-unix.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "agent/policy/notifier_module.h"
#include "agent/util/internal_module.h"

namespace mcpcred {
namespace {

constexpr char kName[] = "org.freedesktop.Notifications";
constexpr char kPath[] = "/org/freedesktop/Notifications";
constexpr char kInterface[] = "org.freedesktop.Notifications";
constexpr char kAllow[] = "allow";
constexpr char kDeny[] = "deny";
// CloseNotification at the end, whatever the deadline: a bounded courtesy.
constexpr int kCloseTimeoutMs = 1000;

// $DBUS_SESSION_BUS_ADDRESS, else $XDG_RUNTIME_DIR/bus if it is a socket,
// else "" (a bus is never launched).
std::string SessionBusAddress() {
  const char* address = std::getenv("DBUS_SESSION_BUS_ADDRESS");
  if (address != nullptr && *address != '\0') return address;
  const char* runtime = std::getenv("XDG_RUNTIME_DIR");
  if (runtime == nullptr || *runtime == '\0') return "";
  const std::string path = absl::StrCat(runtime, "/bus");
  struct stat st;
  if (stat(path.c_str(), &st) != 0 || !S_ISSOCK(st.st_mode)) return "";
  gchar* escaped = g_dbus_address_escape_value(path.c_str());
  std::string result = absl::StrCat("unix:path=", escaped);
  g_free(escaped);
  return result;
}

std::string TakeError(GError* error) {
  std::string message = error != nullptr ? error->message : "unknown error";
  if (error != nullptr) g_error_free(error);
  return message;
}

// One prompt on a main context of its own, pushed as this thread's default
// so that GDBus dispatches its replies and signals here; the deadline and the
// cancel fd are sources on it.
class Prompt {
 public:
  Prompt(absl::Duration timeout, int cancel_fd)
      : context_(g_main_context_new()), cancellable_(g_cancellable_new()) {
    g_main_context_push_thread_default(context_);
    const int64_t ms =
        std::clamp<int64_t>(absl::ToInt64Milliseconds(timeout), 1, INT32_MAX);
    timeout_ms_ = static_cast<int>(ms);
    deadline_ = g_timeout_source_new(static_cast<guint>(ms));
    g_source_set_callback(deadline_, &Prompt::OnDeadline, this, nullptr);
    g_source_attach(deadline_, context_);
    if (cancel_fd >= 0) {
      cancel_ = g_unix_fd_source_new(cancel_fd, G_IO_IN);
      g_source_set_callback(cancel_, G_SOURCE_FUNC(&Prompt::OnCancel), this,
                            nullptr);
      g_source_attach(cancel_, context_);
    }
  }

  ~Prompt() {
    if (connection_ != nullptr) {
      if (id_ != 0 && !closed_) {
        GVariant* reply = g_dbus_connection_call_sync(
            connection_, kName, kPath, kInterface, "CloseNotification",
            g_variant_new("(u)", id_), nullptr, G_DBUS_CALL_FLAGS_NONE,
            kCloseTimeoutMs, nullptr, nullptr);
        if (reply != nullptr) g_variant_unref(reply);
      }
      if (subscription_ != 0) {
        g_dbus_connection_signal_unsubscribe(connection_, subscription_);
        // Its last callbacks may be queued here: run them before `this` goes.
        while (!unsubscribed_) g_main_context_iteration(context_, TRUE);
      }
      g_dbus_connection_close(connection_, nullptr, nullptr, nullptr);
      g_object_unref(connection_);
    }
    g_source_destroy(deadline_);
    g_source_unref(deadline_);
    if (cancel_ != nullptr) {
      g_source_destroy(cancel_);
      g_source_unref(cancel_);
    }
    while (g_main_context_pending(context_)) {
      g_main_context_iteration(context_, FALSE);
    }
    g_main_context_pop_thread_default(context_);
    g_object_unref(cancellable_);
    g_main_context_unref(context_);
  }

  absl::StatusOr<bool> Ask(const std::string& question) {
    const std::string address = SessionBusAddress();
    if (address.empty()) {
      return absl::UnavailableError(
          "no session D-Bus for a desktop notification "
          "($DBUS_SESSION_BUS_ADDRESS is not set)");
    }
    g_dbus_connection_new_for_address(
        address.c_str(),
        static_cast<GDBusConnectionFlags>(
            G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
            G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION),
        nullptr, cancellable_, &Prompt::OnResult, this);
    GAsyncResult* result = Await();
    if (result == nullptr) return Ended();
    GError* error = nullptr;
    connection_ = g_dbus_connection_new_for_address_finish(result, &error);
    g_object_unref(result);
    if (connection_ == nullptr) {
      return absl::UnavailableError(absl::StrCat(
          "cannot connect to the session D-Bus: ", TakeError(error)));
    }

    absl::StatusOr<GVariant*> capabilities =
        Call(kName, kPath, kInterface, "GetCapabilities", nullptr, "(as)");
    if (!capabilities.ok()) return capabilities.status();
    bool actions = false;
    bool markup = false;
    {
      GVariantIter* iter = nullptr;
      const gchar* capability = nullptr;
      g_variant_get(*capabilities, "(as)", &iter);
      while (g_variant_iter_next(iter, "&s", &capability)) {
        actions = actions || g_strcmp0(capability, "actions") == 0;
        markup = markup || g_strcmp0(capability, "body-markup") == 0;
      }
      g_variant_iter_free(iter);
      g_variant_unref(*capabilities);
    }
    if (!actions) {
      return absl::UnavailableError(
          "the desktop notification server offers no actions");
    }

    // Signals are taken only from the server's unique name: another client
    // on the bus cannot answer for the person.
    absl::StatusOr<GVariant*> owner = Call(
        "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
        "GetNameOwner", g_variant_new("(s)", kName), "(s)");
    if (!owner.ok()) return owner.status();
    const gchar* unique = nullptr;
    g_variant_get(*owner, "(&s)", &unique);
    subscription_ = g_dbus_connection_signal_subscribe(
        connection_, unique, kInterface, nullptr, kPath, nullptr,
        G_DBUS_SIGNAL_FLAGS_NONE, &Prompt::OnSignal, this,
        &Prompt::OnUnsubscribed);
    g_variant_unref(*owner);

    gchar* body = markup ? g_markup_escape_text(question.c_str(), -1)
                         : g_strdup(question.c_str());
    GVariantBuilder action_list;
    g_variant_builder_init(&action_list, G_VARIANT_TYPE("as"));
    for (const char* entry : {kAllow, "Allow", kDeny, "Deny"}) {
      g_variant_builder_add(&action_list, "s", entry);
    }
    GVariantBuilder hints;
    g_variant_builder_init(&hints, G_VARIANT_TYPE("a{sv}"));
    absl::StatusOr<GVariant*> notified =
        Call(kName, kPath, kInterface, "Notify",
             g_variant_new("(susssasa{sv}i)", "mcpcred", 0u, "", "mcpcred",
                           body, &action_list, &hints, timeout_ms_),
             "(u)");
    g_free(body);
    if (!notified.ok()) return notified.status();
    g_variant_get(*notified, "(u)", &id_);
    g_variant_unref(*notified);

    while (!timed_out_ && !cancelled_) {
      for (const auto& [id, action] : signals_) {
        if (id != id_) continue;
        if (!action.has_value()) closed_ = true;
        return action.has_value() && *action == kAllow;
      }
      g_main_context_iteration(context_, TRUE);
    }
    return Ended();
  }

 private:
  static gboolean OnDeadline(gpointer self) {
    static_cast<Prompt*>(self)->timed_out_ = true;
    return G_SOURCE_REMOVE;
  }
  static gboolean OnCancel(gint, GIOCondition, gpointer self) {
    static_cast<Prompt*>(self)->cancelled_ = true;
    return G_SOURCE_REMOVE;
  }
  static void OnResult(GObject*, GAsyncResult* result, gpointer self) {
    static_cast<Prompt*>(self)->result_ = G_ASYNC_RESULT(g_object_ref(result));
  }
  static void OnUnsubscribed(gpointer self) {
    static_cast<Prompt*>(self)->unsubscribed_ = true;
  }
  // ActionInvoked (id, key) and NotificationClosed (id, reason).
  static void OnSignal(GDBusConnection*, const gchar*, const gchar*,
                       const gchar*, const gchar* member, GVariant* parameters,
                       gpointer self) {
    auto* prompt = static_cast<Prompt*>(self);
    guint32 id = 0;
    if (g_strcmp0(member, "ActionInvoked") == 0 &&
        g_variant_is_of_type(parameters, G_VARIANT_TYPE("(us)"))) {
      const gchar* key = nullptr;
      g_variant_get(parameters, "(u&s)", &id, &key);
      prompt->signals_.emplace_back(id, std::string(key));
    } else if (g_strcmp0(member, "NotificationClosed") == 0 &&
               g_variant_is_of_type(parameters, G_VARIANT_TYPE("(uu)"))) {
      guint32 reason = 0;
      g_variant_get(parameters, "(uu)", &id, &reason);
      prompt->signals_.emplace_back(id, std::nullopt);
    }
  }

  // Runs the context until the pending call's result arrives (returned, to
  // be unreffed) or the prompt ends (nullptr; the call is cancelled and its
  // callback run, so that nothing refers to `this` afterwards).
  GAsyncResult* Await() {
    while (result_ == nullptr && !timed_out_ && !cancelled_) {
      g_main_context_iteration(context_, TRUE);
    }
    if (result_ == nullptr) {
      g_cancellable_cancel(cancellable_);
      while (result_ == nullptr) g_main_context_iteration(context_, TRUE);
      g_object_unref(result_);
      result_ = nullptr;
      return nullptr;
    }
    return std::exchange(result_, nullptr);
  }

  // A method call bounded by the prompt's deadline; the reply to unref.
  absl::StatusOr<GVariant*> Call(const char* name, const char* path,
                                 const char* interface, const char* method,
                                 GVariant* parameters, const char* reply) {
    g_dbus_connection_call(connection_, name, path, interface, method,
                           parameters, G_VARIANT_TYPE(reply),
                           G_DBUS_CALL_FLAGS_NONE, timeout_ms_, cancellable_,
                           &Prompt::OnResult, this);
    GAsyncResult* result = Await();
    if (result == nullptr) return Ended();
    GError* error = nullptr;
    GVariant* value =
        g_dbus_connection_call_finish(connection_, result, &error);
    g_object_unref(result);
    if (value == nullptr) {
      return absl::UnavailableError(
          absl::StrCat("no desktop notification server (", method,
                       " failed: ", TakeError(error), ")"));
    }
    return value;
  }

  absl::Status Ended() const {
    if (cancelled_) return absl::CancelledError("the prompt was cancelled");
    return absl::DeadlineExceededError("no answer to the notification");
  }

  GMainContext* context_;
  GCancellable* cancellable_;
  GSource* deadline_ = nullptr;
  GSource* cancel_ = nullptr;
  int timeout_ms_ = 0;
  bool timed_out_ = false;
  bool cancelled_ = false;
  GAsyncResult* result_ = nullptr;
  GDBusConnection* connection_ = nullptr;
  guint subscription_ = 0;
  bool unsubscribed_ = false;
  guint32 id_ = 0;
  bool closed_ = false;
  // Signals about our notifications, in order: the action key, or none for
  // a close.
  std::vector<std::pair<guint32, std::optional<std::string>>> signals_;
};

absl::StatusOr<bool> Ask(const std::string& question, absl::Duration timeout,
                         int cancel_fd) {
  Prompt prompt(timeout, cancel_fd);
  return prompt.Ask(question);
}

constexpr NotifierModule kNotifierModule = {&Ask};

}  // namespace
}  // namespace mcpcred

MCPCRED_INTERNAL_MODULE(mcpcred::NotifierModule, mcpcred::kNotifierModule);
