#include "output.h"

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mcpcred::cli {
namespace {

using Json = nlohmann::json;

constexpr int64_t kNow = 1700000000;  // 2023-11-14T22:13:20Z

google::protobuf::Timestamp At(int64_t seconds, int32_t nanos = 0) {
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(seconds);
  timestamp.set_nanos(nanos);
  return timestamp;
}

v1::ListCredentialsResponse SampleList() {
  v1::ListCredentialsResponse list;
  v1::CredentialInfo* github = list.add_credentials();
  github->set_name("github");
  github->set_provider("oauth2");
  github->set_state(v1::CredentialInfo::READY);
  *github->mutable_expires_at() = At(kNow + 120);
  github->set_cached(true);
  github->set_has_login(true);
  v1::CredentialInfo* linear = list.add_credentials();
  linear->set_name("linear");
  linear->set_provider("static");
  linear->set_state(v1::CredentialInfo::ERROR);
  linear->set_last_error("keyring locked\nretrying");
  return list;
}

v1::Credential SampleCredential() {
  v1::Credential credential;
  credential.set_name("acme");
  credential.set_token("tok-123");
  (*credential.mutable_env())["ZED"] = "z";
  (*credential.mutable_env())["GITHUB_TOKEN"] = "g";
  (*credential.mutable_headers())["X-Api-Key"] = "k";
  (*credential.mutable_headers())["Authorization"] = "Bearer b";
  return credential;
}

TEST(Rfc3339Test, FormatsUtcWithOptionalFraction) {
  EXPECT_EQ(Rfc3339(At(kNow)), "2023-11-14T22:13:20Z");
  EXPECT_EQ(Rfc3339(At(kNow, 500000000)), "2023-11-14T22:13:20.5Z");
}

TEST(FormatExpiryTest, SaysInNeverOrExpired) {
  absl::Time now = absl::FromUnixSeconds(kNow);
  EXPECT_EQ(FormatExpiry(true, At(kNow + 3600), now), "in 3600s");
  EXPECT_EQ(FormatExpiry(true, At(kNow), now), "in 0s");
  EXPECT_EQ(FormatExpiry(true, At(kNow - 5), now), "expired 5s ago");
  EXPECT_EQ(FormatExpiry(false, At(0), now), "never");
}

TEST(StateNameTest, NamesEveryState) {
  EXPECT_EQ(StateName(v1::CredentialInfo::READY), "ready");
  EXPECT_EQ(StateName(v1::CredentialInfo::LOGIN_REQUIRED), "login_required");
  EXPECT_EQ(StateName(v1::CredentialInfo::ERROR), "error");
  EXPECT_EQ(StateName(v1::CredentialInfo::STATE_UNSPECIFIED), "unknown");
}

TEST(FormatCredentialListTest, OneAlignedLineEach) {
  EXPECT_EQ(FormatCredentialList(SampleList(), absl::FromUnixSeconds(kNow)),
            "github  oauth2  ready  in 120s\n"
            "linear  static  error  never  keyring locked retrying\n");
  EXPECT_EQ(FormatCredentialList(v1::ListCredentialsResponse(),
                                 absl::FromUnixSeconds(kNow)),
            "");
}

TEST(FormatCredentialNamesTest, OneNameALineAndNothingElse) {
  v1::ListCredentialsResponse list = SampleList();
  // What the store holds is not a credential name.
  list.set_store("file");
  list.add_stored()->set_credential("orphan");
  EXPECT_EQ(FormatCredentialNames(list), "github\nlinear\n");
  EXPECT_EQ(FormatCredentialNames(v1::ListCredentialsResponse()), "");
}

TEST(CredentialListJsonTest, ArrayOfObjects) {
  Json expected = Json::parse(R"([
    {"name":"github","provider":"oauth2","state":"ready",
     "expires_at":"2023-11-14T22:15:20Z","last_error":"",
     "cached":true,"has_login":true},
    {"name":"linear","provider":"static","state":"error","expires_at":null,
     "last_error":"keyring locked\nretrying","cached":false,"has_login":false}
  ])");
  EXPECT_EQ(CredentialListJson(SampleList()), expected);
  EXPECT_EQ(CredentialListJson(v1::ListCredentialsResponse()), Json::array());
}

TEST(StatusTest, HumanAndJson) {
  v1::AgentStatus status;
  status.set_version("0.1.0");
  status.set_pid(42);
  status.mutable_uptime()->set_seconds(3723);
  status.set_socket_path("/run/a.sock");
  status.set_config_path("/c.toml");
  v1::PluginInfo* plugin = status.add_plugins();
  plugin->set_name("static");
  plugin->set_path("/p/static.so");
  plugin->set_abi_version(1);
  plugin = status.add_plugins();
  plugin->set_name("oauth2");
  plugin->set_path("/p/oauth2.so");
  plugin->set_abi_version(1);
  status.set_credentials(3);
  status.set_ready(1);
  status.set_login_required(1);
  status.set_errors(1);
  status.set_requests_served(7);
  EXPECT_EQ(FormatStatus(status).find("redaction:"), std::string::npos)
      << "an older agent says nothing of it";
  status.set_min_redact_length(8);
  status.add_unredactable("tiny");
  EXPECT_THAT(FormatStatus(status),
              ::testing::HasSubstr("redaction:       values of 8 bytes and "
                                   "more are masked; too short to mask: "
                                   "tiny\n"));
  status.clear_min_redact_length();
  status.clear_unredactable();
  EXPECT_EQ(FormatStatus(status),
            "version:         0.1.0\n"
            "pid:             42\n"
            "uptime:          1h2m3s\n"
            "socket:          /run/a.sock\n"
            "config:          /c.toml\n"
            "plugins:         static (abi 1) /p/static.so\n"
            "                 oauth2 (abi 1) /p/oauth2.so\n"
            "credentials:     3 (1 ready, 1 login required, 1 errors)\n"
            "requests served: 7\n");
  Json json = StatusJson(status);
  EXPECT_EQ(json["pid"], 42);
  EXPECT_EQ(json["uptime_seconds"], 3723);
  EXPECT_EQ(json["plugins"][1]["name"], "oauth2");
  EXPECT_EQ(json["requests_served"], 7);
  EXPECT_NE(FormatStatus(v1::AgentStatus()).find("plugins:         none\n"),
            std::string::npos);
}

TEST(CredentialOutputTest, TokenEnvHeaders) {
  v1::Credential credential = SampleCredential();
  EXPECT_EQ(FormatToken(credential), "tok-123\n");
  EXPECT_EQ(
      TokenJson(credential),
      Json::parse(R"({"name":"acme","token":"tok-123","expires_at":null})"));
  *credential.mutable_expires_at() = At(kNow);
  EXPECT_EQ(TokenJson(credential)["expires_at"], "2023-11-14T22:13:20Z");
  EXPECT_EQ(FormatEnv(credential), "GITHUB_TOKEN=g\nZED=z\n");
  EXPECT_EQ(EnvJson(credential),
            Json::parse(R"({"GITHUB_TOKEN":"g","ZED":"z"})"));
  EXPECT_EQ(FormatHeaders(credential),
            "Authorization: Bearer b\nX-Api-Key: k\n");
  EXPECT_EQ(HeadersJson(credential),
            Json::parse(R"({"Authorization":"Bearer b","X-Api-Key":"k"})"));
  EXPECT_EQ(EnvJson(v1::Credential()), Json::object());
}

TEST(SecretKeysTest, EnvKeysThenHeaderNames) {
  v1::GetSecretKeysResponse keys;
  keys.add_env_keys("GITHUB_TOKEN");
  keys.add_env_keys("LINEAR_API_KEY");
  keys.add_header_names("Authorization");
  EXPECT_EQ(FormatSecretKeys(keys),
            "GITHUB_TOKEN\nLINEAR_API_KEY\nAuthorization\n");
  EXPECT_EQ(SecretKeysJson(keys), Json::parse(R"({
    "env_keys":["GITHUB_TOKEN","LINEAR_API_KEY"],"header_names":["Authorization"]})"));
  EXPECT_EQ(SecretKeysJson(v1::GetSecretKeysResponse()),
            Json::parse(R"({"env_keys":[],"header_names":[]})"));
}

TEST(ReloadTest, CountThenErrors) {
  v1::ReloadResponse response;
  response.set_credentials(2);
  response.add_errors("github: no such plugin");
  EXPECT_EQ(FormatReload(response),
            "reloaded: 2 credentials\ngithub: no such plugin\n");
  EXPECT_EQ(ReloadJson(response), Json::parse(R"({
    "credentials":2,"errors":["github: no such plugin"]})"));
}

TEST(LoginEventTest, EachEventHumanAndJson) {
  v1::LoginEvent open;
  open.mutable_open_url()->set_url("https://idp/authorize?x=1");
  EXPECT_EQ(FormatLoginEvent(open),
            "Open this URL to log in: https://idp/authorize?x=1\n");
  EXPECT_EQ(DumpJson(LoginEventJson(open), -1),
            "{\"event\":\"open_url\",\"url\":\"https://idp/authorize?x=1\"}\n");

  v1::LoginEvent device;
  v1::LoginEvent::DeviceCode* code = device.mutable_device_code();
  code->set_user_code("ABCD-EFGH");
  code->set_verification_uri("https://idp/device");
  code->set_verification_uri_complete("https://idp/device?code=ABCD-EFGH");
  code->set_expires_in(900);
  EXPECT_EQ(FormatLoginEvent(device),
            "Go to https://idp/device and enter the code ABCD-EFGH\n"
            "Or open https://idp/device?code=ABCD-EFGH\n");
  EXPECT_EQ(LoginEventJson(device), Json::parse(R"({"event":"device_code",
    "user_code":"ABCD-EFGH","verification_uri":"https://idp/device",
    "verification_uri_complete":"https://idp/device?code=ABCD-EFGH",
    "expires_in":900})"));
  code->clear_verification_uri_complete();
  EXPECT_EQ(FormatLoginEvent(device),
            "Go to https://idp/device and enter the code ABCD-EFGH\n");

  v1::LoginEvent done;
  done.mutable_done();
  EXPECT_EQ(FormatLoginEvent(done), "Logged in.\n");
  EXPECT_EQ(LoginEventJson(done), Json::parse(R"({"event":"done"})"));

  EXPECT_EQ(FormatLoginEvent(v1::LoginEvent()), "");
  EXPECT_TRUE(LoginEventJson(v1::LoginEvent()).is_null());
  EXPECT_EQ(LoginErrorJson("denied"),
            Json::parse(R"({"event":"error","message":"denied"})"));
}

TEST(DumpJsonTest, ReplacesInvalidUtf8InsteadOfThrowing) {
  EXPECT_EQ(DumpJson(Json("a\xff"), -1), "\"a\xEF\xBF\xBD\"\n");
  EXPECT_EQ(DumpJson(Json::object({{"a", 1}})), "{\n  \"a\": 1\n}\n");
}

}  // namespace
}  // namespace mcpcred::cli
