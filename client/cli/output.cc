#include "output.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace mcpcred::cli {
namespace {

using Json = nlohmann::json;

absl::Time ToTime(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) +
         absl::Nanoseconds(timestamp.nanos());
}

// Agent-supplied text shown inside a single line (e.g. a last error).
std::string OnOneLine(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::replace(text.begin(), text.end(), '\r', ' ');
  return text;
}

// Proto maps iterate in no particular order; output must be stable.
std::map<std::string, std::string> Sorted(
    const google::protobuf::Map<std::string, std::string>& map) {
  return std::map<std::string, std::string>(map.begin(), map.end());
}

Json OptionalTime(bool present, const google::protobuf::Timestamp& time) {
  return present ? Json(Rfc3339(time)) : Json(nullptr);
}

}  // namespace

std::string DumpJson(const Json& value, int indent) {
  return value.dump(indent, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::string Rfc3339(const google::protobuf::Timestamp& timestamp) {
  // "Z" rather than absl::RFC3339_full's "+00:00": what protobuf's JSON
  // mapping and most tools print for UTC.
  return absl::FormatTime("%Y-%m-%d%ET%H:%M:%E*SZ", ToTime(timestamp),
                          absl::UTCTimeZone());
}

std::string FormatExpiry(bool has_expiry,
                         const google::protobuf::Timestamp& expires_at,
                         absl::Time now) {
  if (!has_expiry) return "never";
  int64_t seconds = absl::ToInt64Seconds(
      absl::Trunc(ToTime(expires_at) - now, absl::Seconds(1)));
  if (seconds < 0) return absl::StrCat("expired ", -seconds, "s ago");
  return absl::StrCat("in ", seconds, "s");
}

std::string StateName(v1::CredentialInfo::State state) {
  switch (state) {
    case v1::CredentialInfo::READY:
      return "ready";
    case v1::CredentialInfo::LOGIN_REQUIRED:
      return "login_required";
    case v1::CredentialInfo::ERROR:
      return "error";
    default:
      return "unknown";
  }
}

std::string FormatStatus(const v1::AgentStatus& status) {
  constexpr char kIndent[] = "                 ";  // Lines up with values.
  std::string uptime =
      absl::FormatDuration(absl::Seconds(status.uptime().seconds()));
  if (status.uptime().seconds() == 0) uptime = "0s";
  std::string out = absl::StrCat(
      "version:         ", status.version(), "\n",
      "pid:             ", status.pid(), "\n", "uptime:          ", uptime,
      "\n", "socket:          ", status.socket_path(), "\n",
      "config:          ", status.config_path(), "\n");
  if (!status.store().empty()) {
    absl::StrAppend(&out, "store:           ", status.store(),
                    status.store_location().empty() ? "" : " ",
                    status.store_location(), "\n");
  }
  if (status.locked()) {
    absl::StrAppend(&out,
                    "locked:          yes: nothing is handed out until "
                    "'mcpcred unlock'\n");
  }
  if (!status.extra_socket_path().empty()) {
    absl::StrAppend(&out, "extra socket:    ", status.extra_socket_path(),
                    "\n");
  }
  if (!status.audit_error().empty()) {
    absl::StrAppend(
        &out, "audit log:       NOT RECORDING: ", status.audit_error(), "\n");
  }
  if (status.plugins().empty())
    absl::StrAppend(&out, "plugins:         none\n");
  for (int i = 0; i < status.plugins_size(); ++i) {
    const v1::PluginInfo& plugin = status.plugins(i);
    absl::StrAppend(&out, i == 0 ? "plugins:         " : kIndent, plugin.name(),
                    " (abi ", plugin.abi_version(), ") ", plugin.path(), "\n");
  }
  absl::StrAppend(&out, "credentials:     ", status.credentials(), " (",
                  status.ready(), " ready, ", status.login_required(),
                  " login required, ", status.errors(), " errors)\n",
                  "requests served: ", status.requests_served(), "\n");
  if (status.min_redact_length() == 0) return out;  // an older agent
  absl::StrAppend(&out, "redaction:       values of ",
                  status.min_redact_length(), " bytes and more are masked");
  if (status.unredactable_size() > 0) {
    absl::StrAppend(&out, "; too short to mask: ",
                    absl::StrJoin(status.unredactable(), ", "));
  }
  absl::StrAppend(&out, "\n");
  return out;
}

Json StatusJson(const v1::AgentStatus& status) {
  Json plugins = Json::array();
  for (const v1::PluginInfo& plugin : status.plugins()) {
    plugins.push_back({{"name", plugin.name()},
                       {"path", plugin.path()},
                       {"abi_version", plugin.abi_version()}});
  }
  return {
      {"version", status.version()},
      {"pid", status.pid()},
      {"uptime_seconds", status.uptime().seconds()},
      {"socket", status.socket_path()},
      {"config", status.config_path()},
      {"plugins", std::move(plugins)},
      {"credentials", status.credentials()},
      {"ready", status.ready()},
      {"login_required", status.login_required()},
      {"errors", status.errors()},
      {"requests_served", status.requests_served()},
      {"store", status.store()},
      {"store_location", status.store_location()},
      {"audit_error", status.audit_error()},
      {"locked", status.locked()},
      {"extra_socket", status.extra_socket_path()},
      {"min_redact_length", status.min_redact_length()},
      {"unredactable", std::vector<std::string>(status.unredactable().begin(),
                                                status.unredactable().end())}};
}

std::string FormatCredentialList(const v1::ListCredentialsResponse& list,
                                 absl::Time now) {
  std::vector<std::vector<std::string>> rows;
  size_t widths[3] = {0, 0, 0};
  for (const v1::CredentialInfo& info : list.credentials()) {
    std::vector<std::string> row = {
        info.name(), info.provider(), StateName(info.state()),
        FormatExpiry(info.has_expires_at(), info.expires_at(), now)};
    for (size_t i = 0; i < 3; ++i)
      widths[i] = std::max(widths[i], row[i].size());
    if (!info.last_error().empty()) row.push_back(OnOneLine(info.last_error()));
    rows.push_back(std::move(row));
  }
  std::string out;
  for (std::vector<std::string>& row : rows) {
    for (size_t i = 0; i < 3; ++i) row[i].resize(widths[i], ' ');
    absl::StrAppend(&out, absl::StrJoin(row, "  "), "\n");
  }
  absl::StrAppend(&out, FormatStoredEntries(list, /*blank_line=*/!out.empty()));
  return out;
}

std::string FormatCredentialNames(const v1::ListCredentialsResponse& list) {
  std::string out;
  for (const v1::CredentialInfo& info : list.credentials()) {
    absl::StrAppend(&out, info.name(), "\n");
  }
  return out;
}

std::string StoreKindName(absl::string_view kind) {
  if (kind == "client") return "client registration";
  std::string name(kind);
  std::replace(name.begin(), name.end(), '_', ' ');
  return name;
}

std::string FormatStoredEntries(const v1::ListCredentialsResponse& list,
                                bool blank_line) {
  if (list.store().empty()) return "";  // an agent without a store listing
  std::string out = blank_line ? "\n" : "";
  if (!list.store_error().empty()) {
    absl::StrAppend(&out, "The ", list.store(),
                    " store cannot be listed: ", OnOneLine(list.store_error()),
                    "\n");
    return out;
  }
  if (list.stored().empty()) {
    absl::StrAppend(&out, "Nothing is stored in the ", list.store(),
                    " store.\n");
    return out;
  }
  absl::StrAppend(&out, "Stored in the ", list.store(), " store:\n");
  std::vector<std::vector<std::string>> rows;
  size_t widths[2] = {0, 0};
  for (const v1::StoredEntry& entry : list.stored()) {
    std::vector<std::string> row = {entry.credential(),
                                    StoreKindName(entry.kind())};
    if (!entry.scope().empty()) row.push_back(OnOneLine(entry.scope()));
    for (size_t i = 0; i < 2; ++i)
      widths[i] = std::max(widths[i], row[i].size());
    rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end());
  for (std::vector<std::string>& row : rows) {
    // Pad only the columns that something follows.
    for (size_t i = 0; i + 1 < row.size(); ++i) row[i].resize(widths[i], ' ');
    absl::StrAppend(&out, "  ", absl::StrJoin(row, "  "), "\n");
  }
  return out;
}

Json CredentialListJson(const v1::ListCredentialsResponse& list) {
  Json array = Json::array();
  for (const v1::CredentialInfo& info : list.credentials()) {
    array.push_back(
        {{"name", info.name()},
         {"provider", info.provider()},
         {"state", StateName(info.state())},
         {"expires_at", OptionalTime(info.has_expires_at(), info.expires_at())},
         {"last_error", info.last_error()},
         {"cached", info.cached()},
         {"has_login", info.has_login()}});
    // Only from an agent that lists its store, so that "no entry" is never
    // confused with "not known".
    if (!list.store().empty()) {
      array.back()["stored"] = std::vector<std::string>(
          info.stored_kinds().begin(), info.stored_kinds().end());
    }
  }
  return array;
}

std::string FormatToken(const v1::Credential& credential) {
  return credential.token() + "\n";
}

Json TokenJson(const v1::Credential& credential) {
  return {{"name", credential.name()},
          {"token", credential.token()},
          {"expires_at",
           OptionalTime(credential.has_expires_at(), credential.expires_at())}};
}

std::string FormatEnv(const v1::Credential& credential) {
  std::string out;
  for (const auto& [key, value] : Sorted(credential.env())) {
    absl::StrAppend(&out, key, "=", value, "\n");
  }
  return out;
}

Json EnvJson(const v1::Credential& credential) {
  Json object = Json::object();
  for (const auto& [key, value] : credential.env()) object[key] = value;
  return object;
}

std::string FormatHeaders(const v1::Credential& credential) {
  std::string out;
  for (const auto& [name, value] : Sorted(credential.headers())) {
    absl::StrAppend(&out, name, ": ", value, "\n");
  }
  return out;
}

Json HeadersJson(const v1::Credential& credential) {
  Json object = Json::object();
  for (const auto& [name, value] : credential.headers()) object[name] = value;
  return object;
}

std::string FormatSecretKeys(const v1::GetSecretKeysResponse& keys) {
  std::string out;
  for (const std::string& key : keys.env_keys())
    absl::StrAppend(&out, key, "\n");
  for (const std::string& name : keys.header_names()) {
    absl::StrAppend(&out, name, "\n");
  }
  return out;
}

Json SecretKeysJson(const v1::GetSecretKeysResponse& keys) {
  return {
      {"env_keys", std::vector<std::string>(keys.env_keys().begin(),
                                            keys.env_keys().end())},
      {"header_names", std::vector<std::string>(keys.header_names().begin(),
                                                keys.header_names().end())}};
}

Json RedactJson(const v1::RedactResponse& response) {
  return {{"text", response.text()}, {"replacements", response.replacements()}};
}

std::string FormatReload(const v1::ReloadResponse& response) {
  std::string out =
      absl::StrCat("reloaded: ", response.credentials(), " credentials\n");
  for (const std::string& error : response.errors()) {
    absl::StrAppend(&out, OnOneLine(error), "\n");
  }
  return out;
}

Json ReloadJson(const v1::ReloadResponse& response) {
  return {{"credentials", response.credentials()},
          {"errors", std::vector<std::string>(response.errors().begin(),
                                              response.errors().end())}};
}

std::string FormatLoginEvent(const v1::LoginEvent& event) {
  switch (event.event_case()) {
    case v1::LoginEvent::kOpenUrl:
      return absl::StrCat("Open this URL to log in: ", event.open_url().url(),
                          "\n");
    case v1::LoginEvent::kDeviceCode: {
      const v1::LoginEvent::DeviceCode& code = event.device_code();
      std::string out =
          absl::StrCat("Go to ", code.verification_uri(),
                       " and enter the code ", code.user_code(), "\n");
      // The complete URI carries the code: one click instead of typing it.
      if (!code.verification_uri_complete().empty() &&
          code.verification_uri_complete() != code.verification_uri()) {
        absl::StrAppend(&out, "Or open ", code.verification_uri_complete(),
                        "\n");
      }
      return out;
    }
    case v1::LoginEvent::kDone:
      return "Logged in.\n";
    default:
      return "";
  }
}

Json LoginEventJson(const v1::LoginEvent& event) {
  switch (event.event_case()) {
    case v1::LoginEvent::kOpenUrl:
      return {{"event", "open_url"}, {"url", event.open_url().url()}};
    case v1::LoginEvent::kDeviceCode: {
      const v1::LoginEvent::DeviceCode& code = event.device_code();
      return {{"event", "device_code"},
              {"user_code", code.user_code()},
              {"verification_uri", code.verification_uri()},
              {"verification_uri_complete", code.verification_uri_complete()},
              {"expires_in", code.expires_in()}};
    }
    case v1::LoginEvent::kDone:
      return {{"event", "done"}};
    default:
      return nullptr;
  }
}

Json LoginErrorJson(absl::string_view message) {
  return {{"event", "error"}, {"message", std::string(message)}};
}

}  // namespace mcpcred::cli
