#include "plugins/oauth2/client_auth.h"

#include <algorithm>

#include "absl/status/status.h"
#include "mcpcred/common/secret_encodings.h"
#include "nlohmann/json.hpp"
#include "plugins/oauth2/discovery/pkce.h"
#include "plugins/sdk/jws.h"

namespace mcpcred::oauth2 {
namespace {

constexpr char kJwtBearerAssertion[] =
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

bool Lists(const std::vector<std::string>& list, const char* name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

}  // namespace

std::string AuthMethodName(AuthMethod method) {
  switch (method) {
    case AuthMethod::kNone:
      return "none";
    case AuthMethod::kClientSecretBasic:
      return "client_secret_basic";
    case AuthMethod::kClientSecretPost:
      return "client_secret_post";
    case AuthMethod::kPrivateKeyJwt:
      return "private_key_jwt";
    case AuthMethod::kAuto:
      break;
  }
  return "";
}

AuthMethod AuthMethodFromName(const std::string& name) {
  for (AuthMethod method :
       {AuthMethod::kNone, AuthMethod::kClientSecretBasic,
        AuthMethod::kClientSecretPost, AuthMethod::kPrivateKeyJwt}) {
    if (AuthMethodName(method) == name) return method;
  }
  return AuthMethod::kAuto;
}

AuthMethod ChooseAuthMethod(AuthMethod configured,
                            const std::string& registered, bool has_secret,
                            bool has_key,
                            const std::vector<std::string>& server_supported) {
  if (configured != AuthMethod::kAuto) return configured;
  if (has_key) return AuthMethod::kPrivateKeyJwt;
  AuthMethod answered = AuthMethodFromName(registered);
  if (answered != AuthMethod::kAuto &&
      (has_secret || answered == AuthMethod::kNone)) {
    return answered;
  }
  if (!has_secret) return AuthMethod::kNone;
  if (server_supported.empty() ||
      Lists(server_supported, "client_secret_basic")) {
    return AuthMethod::kClientSecretBasic;
  }
  if (Lists(server_supported, "client_secret_post")) {
    return AuthMethod::kClientSecretPost;
  }
  if (Lists(server_supported, "none")) return AuthMethod::kNone;
  return AuthMethod::kClientSecretBasic;
}

absl::StatusOr<FormParams> AddClientAuthentication(const ClientAuth& client,
                                                   const std::string& audience,
                                                   int64_t now_unix,
                                                   FormParams* form) {
  switch (client.method) {
    case AuthMethod::kClientSecretBasic: {
      SecretString id_secret(FormEncodeComponent(client.client_id));
      id_secret += ':';
      id_secret += FormEncodeSecret(client.client_secret.view());
      std::string encoded = Base64Encode(id_secret.view(), /*url=*/false);
      FormParams headers = {{"Authorization", "Basic "}};
      headers[0].second.reserve(headers[0].second.size() + encoded.size());
      headers[0].second += encoded;
      WipeString(&encoded);
      return headers;
    }
    case AuthMethod::kClientSecretPost:
      form->emplace_back("client_id", client.client_id);
      form->emplace_back("client_secret",
                         client.client_secret.ToUnwipedString());
      return FormParams();
    case AuthMethod::kPrivateKeyJwt: {
      absl::StatusOr<std::string> jti = NewState();
      if (!jti.ok()) return jti.status();
      SecretString assertion =
          client.private_key == nullptr
              ? ""
              : plugin::SignJws(client.private_key, "JWT",
                                nlohmann::json{{"iss", client.client_id},
                                               {"sub", client.client_id},
                                               {"aud", audience},
                                               {"iat", now_unix},
                                               {"exp", now_unix + 300},
                                               {"jti", *jti}}
                                    .dump());
      if (assertion.empty()) {
        return absl::InternalError(
            "cannot sign the client assertion with the private_key");
      }
      form->emplace_back("client_id", client.client_id);
      form->emplace_back("client_assertion_type", kJwtBearerAssertion);
      form->emplace_back("client_assertion", assertion.ToUnwipedString());
      return FormParams();
    }
    case AuthMethod::kNone:
    case AuthMethod::kAuto:
      break;
  }
  form->emplace_back("client_id", client.client_id);
  return FormParams();
}

}  // namespace mcpcred::oauth2
