#include "plugins/github_app/key_check.h"

#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "mcpcred/common/secret_string.h"

namespace mcpcred::github_app {
namespace {

constexpr char kNotAKey[] = "is not a PEM private key (or is encrypted)";
constexpr char kNotRsa[] = "is not an RSA private key: GitHub App keys are RSA";
constexpr char kShort[] = "is an RSA key shorter than 2048 bits";

// rsaEncryption, 1.2.840.113549.1.1.1, as DER content octets.
constexpr char kRsaOid[] = "\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01";

// A DER reader over `rest`: each Read takes one element of tag `tag` and
// gives its content.
struct Der {
  absl::string_view rest;

  bool Read(uint8_t tag, absl::string_view* content) {
    if (rest.size() < 2 || static_cast<uint8_t>(rest[0]) != tag) return false;
    size_t length = static_cast<uint8_t>(rest[1]);
    size_t header = 2;
    if (length & 0x80) {
      const size_t octets = length & 0x7f;
      if (octets < 1 || octets > 4 || rest.size() < 2 + octets) return false;
      length = 0;
      for (size_t i = 0; i < octets; ++i) {
        length = (length << 8) | static_cast<uint8_t>(rest[2 + i]);
      }
      header += octets;
    }
    if (rest.size() - header < length) return false;
    *content = rest.substr(header, length);
    rest.remove_prefix(header + length);
    return true;
  }
};

constexpr uint8_t kSequence = 0x30, kInteger = 0x02, kOctetString = 0x04,
                  kOid = 0x06;

// The bit length of a DER INTEGER's content (unsigned, big-endian).
size_t Bits(absl::string_view integer) {
  while (!integer.empty() && integer[0] == '\0') integer.remove_prefix(1);
  if (integer.empty()) return 0;
  size_t bits = 8 * integer.size();
  for (uint8_t top = static_cast<uint8_t>(integer[0]); !(top & 0x80);
       top <<= 1) {
    --bits;
  }
  return bits;
}

// RSAPrivateKey (RFC 8017, A.1.2): SEQUENCE { version, modulus, ... }.
bool CheckPkcs1(absl::string_view der, std::string* why) {
  Der outer{der};
  absl::string_view key, version, modulus;
  if (!outer.Read(kSequence, &key)) return *why = kNotAKey, false;
  Der fields{key};
  if (!fields.Read(kInteger, &version) || !fields.Read(kInteger, &modulus)) {
    return *why = kNotAKey, false;
  }
  if (Bits(modulus) < 2048) return *why = kShort, false;
  return true;
}

// PrivateKeyInfo (RFC 5208): SEQUENCE { version, SEQUENCE { algorithm OID,
// parameters }, OCTET STRING privateKey }.
bool CheckPkcs8(absl::string_view der, std::string* why) {
  Der outer{der};
  absl::string_view info, version, algorithm, oid, private_key;
  if (!outer.Read(kSequence, &info)) return *why = kNotAKey, false;
  Der fields{info};
  if (!fields.Read(kInteger, &version) || !fields.Read(kSequence, &algorithm)) {
    return *why = kNotAKey, false;
  }
  Der algorithm_fields{algorithm};
  if (!algorithm_fields.Read(kOid, &oid)) return *why = kNotAKey, false;
  if (oid != absl::string_view(kRsaOid, sizeof(kRsaOid) - 1)) {
    return *why = kNotRsa, false;
  }
  if (!fields.Read(kOctetString, &private_key)) return *why = kNotAKey, false;
  return CheckPkcs1(private_key, why);
}

}  // namespace

bool CheckRsaKeyPem(std::string_view pem_text, std::string* why) {
  const absl::string_view pem(pem_text.data(), pem_text.size());
  constexpr absl::string_view kBegin = "-----BEGIN ";
  const size_t begin = pem.find(kBegin);
  if (begin == absl::string_view::npos) return *why = kNotAKey, false;
  const size_t label_start = begin + kBegin.size();
  const size_t label_end = pem.find("-----", label_start);
  if (label_end == absl::string_view::npos) return *why = kNotAKey, false;
  const absl::string_view label =
      pem.substr(label_start, label_end - label_start);
  const std::string end_line = absl::StrCat("-----END ", label, "-----");
  const size_t body_start = label_end + 5;
  const size_t body_end = pem.find(end_line, body_start);
  if (body_end == absl::string_view::npos) return *why = kNotAKey, false;
  const absl::string_view body = pem.substr(body_start, body_end - body_start);
  // Headers (RFC 1421: "Proc-Type: 4,ENCRYPTED") mark an encrypted key.
  if (absl::StrContains(body, ":")) return *why = kNotAKey, false;
  if (label == "EC PRIVATE KEY" || label == "DSA PRIVATE KEY") {
    return *why = kNotRsa, false;
  }
  if (label != "RSA PRIVATE KEY" && label != "PRIVATE KEY") {
    return *why = kNotAKey, false;  // a certificate, an encrypted key...
  }
  // The key's bytes: a SecretString, so growing it leaves no copy behind.
  SecretString base64;
  base64.reserve(body.size());
  for (char c : body) {
    if (!absl::ascii_isspace(static_cast<unsigned char>(c))) base64 += c;
  }
  std::string der;
  const bool decoded = absl::Base64Unescape(
      absl::string_view(base64.data(), base64.size()), &der);
  bool ok = false;
  if (!decoded) {
    *why = kNotAKey;
  } else {
    ok = label == "PRIVATE KEY" ? CheckPkcs8(der, why) : CheckPkcs1(der, why);
  }
  WipeString(&der);
  return ok;
}

}  // namespace mcpcred::github_app
