#include "plugins/sdk/jws.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/pem.h>

#include "mcpcred/common/secret_encodings.h"
#include "nlohmann/json.hpp"

namespace mcpcred::plugin {
namespace {

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
struct SigDeleter {
  void operator()(ECDSA_SIG* sig) const { ECDSA_SIG_free(sig); }
};

// DER ECDSA-Sig-Value to the fixed-width R||S of JWS ES256; "" if malformed.
SecretString RawEcdsaSignature(const SecretString& der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  std::unique_ptr<ECDSA_SIG, SigDeleter> sig(
      d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (sig == nullptr) return "";
  SecretString raw;
  raw.resize(64);
  unsigned char* out = reinterpret_cast<unsigned char*>(raw.data());
  if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), out, 32) != 32 ||
      BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), out + 32, 32) != 32) {
    return "";
  }
  return raw;
}

}  // namespace

PrivateKey ParsePrivateKeyPem(std::string_view pem, std::string* why) {
  std::unique_ptr<BIO, BioDeleter> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  // A null passphrase callback with "" makes an encrypted key fail instead of
  // prompting on the agent's terminal.
  PrivateKey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr,
                                         const_cast<char*>("")));
  if (key == nullptr) *why = "is not a PEM private key (or is encrypted)";
  return key;
}

std::string JwsAlgorithm(EVP_PKEY* key, std::string* why) {
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA:
      if (EVP_PKEY_get_bits(key) >= 2048) return "RS256";
      *why = "is an RSA key shorter than 2048 bits";
      return "";
    case EVP_PKEY_EC: {
      char group[64] = {0};
      size_t len = 0;
      if (EVP_PKEY_get_group_name(key, group, sizeof(group), &len) == 1 &&
          std::string(group) == "prime256v1") {
        return "ES256";
      }
      *why = "is an EC key on another curve than P-256";
      return "";
    }
    default:
      *why = "is neither an RSA nor an EC P-256 key";
      return "";
  }
}

std::string Base64Url(std::string_view data) {
  return Base64Encode(data, /*url=*/true);
}

SecretString SignJws(EVP_PKEY* key, const std::string& typ,
                     const std::string& payload_json) {
  std::string why;
  const std::string alg = JwsAlgorithm(key, &why);
  if (alg.empty()) return "";
  const std::string signing_input =
      Base64Url(nlohmann::json{{"alg", alg}, {"typ", typ}}.dump()) + "." +
      Base64Url(payload_json);
  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  size_t length = 0;
  const auto* input =
      reinterpret_cast<const unsigned char*>(signing_input.data());
  if (ctx == nullptr ||
      EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &length, input,
                     signing_input.size()) != 1) {
    return "";
  }
  SecretString signature;
  signature.resize(length);
  if (EVP_DigestSign(ctx.get(),
                     reinterpret_cast<unsigned char*>(signature.data()),
                     &length, input, signing_input.size()) != 1) {
    return "";
  }
  signature.resize(length);
  if (alg == "ES256") {
    signature = RawEcdsaSignature(signature);
    if (signature.empty()) return "";
  }
  std::string encoded = Base64Url(signature.view());
  SecretString jws;
  jws.reserve(signing_input.size() + 1 + encoded.size());
  jws += signing_input;
  jws += '.';
  jws += encoded;
  WipeString(&encoded);
  return jws;
}

}  // namespace mcpcred::plugin
