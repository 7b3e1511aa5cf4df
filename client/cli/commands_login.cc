// login and logout.
#include <iostream>
#include <memory>
#include <thread>

#include "browser.h"
#include "commands.h"
#include "interrupt_watcher.h"
#include "mcpcred/client.h"
#include "output.h"
#include "paste_redirect.h"
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
  if (event.has_open_url() && login.paste) {
    absl::StatusOr<std::string> redirect =
        LoopbackRedirectUri(event.open_url().url());
    if (!redirect.ok()) {
      Fail(redirect.status());
      return;
    }
    std::cerr << "Open the URL in a browser on any machine. When it ends on "
                 "an address starting with "
              << *redirect
              << " (which will not load there), paste that address here:"
              << std::endl;
    // The login waits for the listener meanwhile; a failed paste leaves it
    // waiting until its timeout or Ctrl-C.
    std::thread([uri = *redirect] {
      std::string line;
      while (std::getline(std::cin, line)) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        absl::StatusOr<std::string> page = DeliverPastedRedirect(uri, line);
        if (page.ok()) {
          std::cerr << *page << std::endl;
          return;
        }
        std::cerr << "mcpcred: " << page.status().message()
                  << "; paste it again:" << std::endl;
      }
    }).detach();
    return;
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
  for (const std::string& scope : login.scopes) request.add_scopes(scope);
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
