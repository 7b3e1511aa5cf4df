// Fuzzes the relay's masking of what a server sends its host
// (client/exec/relay/message_masker.h): one message line, JSON-RPC or not,
// with secret values in it in any form.
//
// Input: the secret values separated by TAB up to the first LF, then the
// line. One more secret is cut out of the line itself at a place derived
// from a hash of the input, so that values occur often. Secrets hold no byte
// of a marker "[REDACTED:L]", so a marker never completes one.
//
// Invariants:
//  - no secret of 8 bytes or more is left in the output, in plain form or
//    base64;
//  - nothing masked: the output is the line, byte for byte;
//  - the output of a line that is a JSON object is a JSON object again,
//    when no secret holds JSON syntax (quotes, brackets, commas, colons,
//    backslashes, whitespace) that could make it span two tokens;
//  - the masker counts as many replacements as it reports.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mcpcred/common/secret_encodings.h"
#include "relay/message_masker.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using mcpcred::exec::relay::Json;
using mcpcred::exec::relay::MessageMasker;
using mcpcred::fuzz::Escape;

constexpr size_t kMinLength = 8;
constexpr std::string_view kMarkerBytes = "[REDACTED:L]";

bool Usable(std::string_view value) {
  return value.size() >= kMinLength &&
         value.find_first_of(kMarkerBytes) == std::string_view::npos;
}

bool HoldsJsonSyntax(std::string_view value) {
  return value.find_first_of("\"{}[],:\\ \t\r\n") != std::string_view::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 16 * 1024) return 0;
  const std::string_view input = mcpcred::fuzz::AsText(data, size);
  auto [secret_line, line_view] = mcpcred::fuzz::SplitHeader(input, '\n');
  const std::string line(line_view);

  std::vector<std::string> values = mcpcred::fuzz::SplitList(secret_line, '\t');
  if (values.size() > 8) values.resize(8);
  if (line.size() >= kMinLength) {
    const uint64_t h = mcpcred::fuzz::Hash(input);
    values.push_back(line.substr(h % line.size(), 8 + (h >> 16) % 16));
  }
  std::vector<mcpcred::SecretValue> secrets;
  bool syntax = false;
  for (const std::string& value : values) {
    if (!Usable(value)) continue;
    secrets.push_back({mcpcred::SecretString(value), "L"});
    syntax |= HoldsJsonSyntax(value);
  }
  MessageMasker masker(mcpcred::RedactionSet::Build(secrets));

  Json parsed = Json::parse(line, nullptr, false);
  const bool is_object = parsed.is_object();
  const std::string out =
      masker.Render(line, is_object ? &parsed : nullptr, false);
  const std::string where = "line " + Escape(line) + " output " + Escape(out);

  for (const auto& secret : secrets) {
    FUZZ_CHECK("mask-secret-left",
               out.find(secret.value.view()) == std::string::npos,
               "value " + Escape(secret.value.view()) + ": " + where);
    const std::string base64 =
        mcpcred::Base64Encode(secret.value.view(), false);
    FUZZ_CHECK("mask-base64-left",
               line.find(base64) == std::string::npos ||
                   out.find(base64) == std::string::npos,
               "base64 of " + Escape(secret.value.view()) + ": " + where);
  }
  const uint64_t total = masker.total();
  uint64_t counted = 0;
  for (const auto& [label, count] : masker.TakeCounts()) counted += count;
  FUZZ_CHECK("mask-counts", counted == total, where);
  if (total == 0) {
    FUZZ_CHECK("mask-no-op", out == line, where);
  }
  if (is_object && !syntax) {
    FUZZ_CHECK("mask-valid-json", Json::parse(out, nullptr, false).is_object(),
               where);
  }
  return 0;
}
