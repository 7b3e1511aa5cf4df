#include "plugins/github_app/app_jwt.h"

#include <openssl/bio.h>
#include <openssl/pem.h>

#include <vector>

#include "nlohmann/json.hpp"

namespace mcpcred::github_app {
namespace {

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

}  // namespace

std::string Base64Url(const std::string& data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(data.data()),
                          static_cast<int>(data.size()));
  out.resize(static_cast<size_t>(n));
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

PrivateKey ParseRsaPrivateKey(const std::string& pem, std::string* why) {
  std::unique_ptr<BIO, BioDeleter> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  // A null passphrase callback with "" makes an encrypted key fail instead of
  // prompting on the agent's terminal.
  PrivateKey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr,
                                         const_cast<char*>("")));
  if (key == nullptr) {
    *why = "is not a PEM private key (or is encrypted)";
    return nullptr;
  }
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

std::string SignAppJwt(EVP_PKEY* key, int64_t app_id, int64_t now_unix) {
  const int64_t iat = now_unix - 60;
  const std::string header = Base64Url(R"({"alg":"RS256","typ":"JWT"})");
  const std::string payload = Base64Url(nlohmann::json{
      {"iat", iat},
      {"exp", iat + 600},
      {"iss", std::to_string(app_id)}}.dump());
  const std::string signing_input = header + "." + payload;

  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  size_t length = 0;
  if (ctx == nullptr ||
      EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(
          ctx.get(), nullptr, &length,
          reinterpret_cast<const unsigned char*>(signing_input.data()),
          signing_input.size()) != 1) {
    return "";
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(
          ctx.get(), reinterpret_cast<unsigned char*>(signature.data()),
          &length, reinterpret_cast<const unsigned char*>(signing_input.data()),
          signing_input.size()) != 1) {
    return "";
  }
  signature.resize(length);
  return signing_input + "." + Base64Url(signature);
}

}  // namespace mcpcred::github_app
