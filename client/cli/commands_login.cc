// login and logout.
#include <memory>

#include "browser.h"
#include "commands.h"
#include "interrupt_watcher.h"
#include "mcpcred/client.h"
#include "output.h"
#include "tool_util.h"

namespace mcpcred::cli {
namespace {

// Shows one event; opens the browser for an open_url event when it can.
void HandleEvent(const GlobalOptions& options, const LoginOptions& login,
                 const v1::LoginEvent& event) {
  if (options.json) {
    nlohmann::json json = LoginEventJson(event);
    if (!json.is_null()) Print(DumpJson(json, -1));
  } else {
    Print(FormatLoginEvent(event));
  }
  if (event.has_open_url() && !login.no_browser && HasGraphicalSession()) {
    absl::Status opened = OpenInBrowser(event.open_url().url());
    // Not fatal: the URL is printed, the person can open it.
    if (!opened.ok()) Fail(opened);
  }
}

int FailLogin(const GlobalOptions& options, const absl::Status& status,
              int exit_code) {
  if (options.json) Print(DumpJson(LoginErrorJson(status.message()), -1));
  Fail(status);
  return exit_code;
}

}  // namespace

int RunLogin(const GlobalOptions& options, const LoginOptions& login) {
  // Declared first so that it outlives the watcher thread that uses it.
  LoginCanceller canceller;
  // Before the client: gRPC's threads must inherit the blocked SIGINT.
  InterruptWatcher watcher([&canceller] { canceller.Cancel(); });

  absl::StatusOr<std::unique_ptr<Client>> client =
      ConnectToAgent(options.socket_path);
  if (!client.ok()) {
    return FailLogin(options, client.status(), ExitCodeFor(client.status()));
  }
  v1::LoginRequest request;
  request.set_name(login.name);
  request.set_device(login.device);
  absl::Status status = (*client)->Login(
      request,
      [&](const v1::LoginEvent& event) { HandleEvent(options, login, event); },
      &canceller);
  if (watcher.interrupted()) {
    return FailLogin(options, absl::CancelledError("login cancelled"),
                     kExitInterrupted);
  }
  if (!status.ok()) return FailLogin(options, status, ExitCodeFor(status));
  return kExitOk;
}

int RunLogout(const GlobalOptions& options, const std::string& name) {
  absl::StatusOr<std::unique_ptr<Client>> client =
      ConnectToAgent(options.socket_path);
  if (!client.ok()) return Fail(client.status());
  absl::Status status = (*client)->Logout(name);
  if (!status.ok()) return Fail(status);
  Print(options.json ? DumpJson({{"name", name}, {"logged_out", true}})
                     : "Logged out of " + name + ".\n");
  return kExitOk;
}

}  // namespace mcpcred::cli
