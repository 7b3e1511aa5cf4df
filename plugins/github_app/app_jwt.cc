#include "plugins/github_app/app_jwt.h"

#include "nlohmann/json.hpp"

namespace mcpcred::github_app {

PrivateKey ParseRsaPrivateKey(std::string_view pem, std::string* why) {
  PrivateKey key = plugin::ParsePrivateKeyPem(pem, why);
  if (key == nullptr) return nullptr;
  if (EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) {
    *why = "is not an RSA private key: GitHub App keys are RSA";
    return nullptr;
  }
  if (EVP_PKEY_get_bits(key.get()) < 2048) {
    *why = "is an RSA key shorter than 2048 bits";
    return nullptr;
  }
  return key;
}

SecretString SignAppJwt(EVP_PKEY* key, int64_t app_id, int64_t now_unix) {
  const int64_t iat = now_unix - 60;
  return plugin::SignJws(
      key, "JWT",
      nlohmann::json{
          {"iat", iat}, {"exp", iat + 600}, {"iss", std::to_string(app_id)}}
          .dump());
}

}  // namespace mcpcred::github_app
