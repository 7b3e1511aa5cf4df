// Fuzzes mcpcred::StreamRedactor (common/), which scrubs tool output, relayed
// server output
// and transcripts (`mcpcred redact`) before a model sees them, fed in chunks
// whose sizes the input decides.
//
// Input: the secret values separated by TAB up to the first LF, then the
// text. Two more secrets are cut out of the text itself at places derived
// from a hash of the input, so that values occur, overlap and nest often.
// Secret i belongs to credential "c<i>".
//
// Invariants:
//  - without a secret of kMinLength bytes or more, the text comes back
//    unchanged with no replacement;
//  - no secret of kMinLength bytes or more is left in the output,
//    except where an occurrence overlaps a "[REDACTED:...]" marker (the
//    marker's own letters can complete a value such as "DACT");
//  - the output is exactly what stream_redactor.h prescribes: every occurrence
//  of
//    every value is replaced, occurrences that overlap (not ones that only
//    touch) become one marker named after a longest value among them, and
//    everything else is the text byte for byte; `replacements` counts the
//    markers. The expected output is computed independently from the
//    occurrences, so a text that itself holds "[REDACTED:" is no problem.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mcpcred/common/stream_redactor.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using mcpcred::fuzz::Escape;

// The plain matching rules, down to 4-byte values (the agent's default
// minimum is longer; matching is the same).
constexpr size_t kMinLength = 4;

constexpr std::string_view kMarker = "[REDACTED:";

struct Span {
  size_t begin;
  size_t end;  // exclusive
};

bool Overlaps(const Span& a, const Span& b) {
  return a.begin < b.end && b.begin < a.end;
}

std::vector<size_t> Occurrences(std::string_view text, std::string_view value) {
  std::vector<size_t> at;
  for (size_t pos = text.find(value); pos != std::string_view::npos;
       pos = text.find(value, pos + 1)) {
    at.push_back(pos);
  }
  return at;
}

std::string ShowSecrets(const std::vector<mcpcred::SecretValue>& secrets) {
  std::string out;
  for (const auto& s : secrets)
    out += " " + s.credential + "=" + Escape(s.value.view(), 64);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 16 * 1024) return 0;
  const std::string_view input = mcpcred::fuzz::AsText(data, size);
  auto [secret_line, text_view] = mcpcred::fuzz::SplitHeader(input, '\n');
  const std::string text(text_view);

  std::vector<std::string> values = mcpcred::fuzz::SplitList(secret_line, '\t');
  if (values.size() > 14) values.resize(14);
  if (text.size() >= kMinLength) {
    const uint64_t h = mcpcred::fuzz::Hash(input);
    const size_t p1 = h % text.size();
    const size_t l1 = 4 + (h >> 16) % 12;
    const size_t p2 = p1 + 1 + (h >> 24) % l1;
    const size_t l2 = 4 + (h >> 32) % 20;
    values.push_back(text.substr(p1, l1));
    if (p2 < text.size()) values.push_back(text.substr(p2, l2));
  }
  std::vector<mcpcred::SecretValue> secrets;
  for (size_t i = 0; i < values.size(); ++i) {
    secrets.push_back(
        {mcpcred::SecretString(values[i]), "c" + std::to_string(i)});
  }

  // Streamed in chunks whose sizes come from the input: the output must not
  // depend on where a chunk ends.
  auto set = mcpcred::RedactionSet::Build(
      secrets, {.encoded_forms = false, .min_length = kMinLength});
  mcpcred::StreamRedactor redactor(set);
  mcpcred::RedactResult result;
  uint64_t chunking = mcpcred::fuzz::Hash(text) | 1;
  for (size_t at = 0; at < text.size();) {
    const size_t n = std::min<size_t>(chunking % 7, text.size() - at);
    redactor.Write(std::string_view(text).substr(at, n), &result.text);
    at += n;
    chunking = chunking * 6364136223846793005ULL + 1442695040888963407ULL;
  }
  redactor.Finish(&result.text);
  result.replacements = redactor.replacements();
  const std::string& out = result.text;
  const std::string where = "text " + Escape(text) + " secrets" +
                            ShowSecrets(secrets) + " output " + Escape(out);

  std::vector<const mcpcred::SecretValue*> long_secrets;
  for (const auto& s : secrets) {
    if (s.value.size() >= kMinLength) long_secrets.push_back(&s);
  }
  if (long_secrets.empty()) {
    FUZZ_CHECK("redact-no-op", out == text && result.replacements == 0, where);
    return 0;
  }

  // Markers in the output: every "[REDACTED:c<i>]" (also ones the text had).
  std::vector<Span> markers;
  for (size_t pos : Occurrences(out, kMarker)) {
    const size_t close = out.find(']', pos + kMarker.size());
    if (close == std::string::npos) continue;
    markers.push_back({pos, close + 1});
  }
  for (const auto* secret : long_secrets) {
    for (size_t pos : Occurrences(out, secret->value.view())) {
      const Span occurrence{pos, pos + secret->value.size()};
      const bool in_marker =
          std::any_of(markers.begin(), markers.end(),
                      [&](const Span& m) { return Overlaps(m, occurrence); });
      FUZZ_CHECK("redact-secret-left", in_marker,
                 "value of " + secret->credential + " at output byte " +
                     std::to_string(pos) + ": " + where);
    }
  }

  // The output the contract prescribes, up to the names: every occurrence
  // of every value, overlapping ones merged into one run; each run becomes
  // one marker named after (one of) its longest values.
  struct Run {
    Span span;
    size_t longest;             // length of its longest value
    std::vector<size_t> names;  // secrets of that length occurring in it
  };
  struct Occurrence {
    Span span;
    size_t secret;
  };
  std::vector<Occurrence> occurrences;
  for (size_t i = 0; i < secrets.size(); ++i) {
    if (secrets[i].value.size() < kMinLength) continue;
    for (size_t pos : Occurrences(text, secrets[i].value.view())) {
      occurrences.push_back({{pos, pos + secrets[i].value.size()}, i});
    }
  }
  std::sort(occurrences.begin(), occurrences.end(),
            [](const Occurrence& a, const Occurrence& b) {
              return a.span.begin < b.span.begin;
            });
  std::vector<Run> runs;
  for (const Occurrence& occurrence : occurrences) {
    const size_t length = occurrence.span.end - occurrence.span.begin;
    if (runs.empty() || occurrence.span.begin >= runs.back().span.end) {
      runs.push_back({occurrence.span, length, {occurrence.secret}});
      continue;
    }
    Run& run = runs.back();
    run.span.end = std::max(run.span.end, occurrence.span.end);
    if (length > run.longest) {
      run.longest = length;
      run.names = {occurrence.secret};
    } else if (length == run.longest) {
      run.names.push_back(occurrence.secret);
    }
  }

  size_t t = 0;  // in the text
  size_t o = 0;  // in the output
  // Each step returns false (after a skipped check) when the output cannot
  // be followed any further.
  auto expect_text = [&](size_t end) {
    const size_t length = end - t;
    const bool same = o <= out.size() && out.size() - o >= length &&
                      out.compare(o, length, text, t, length) == 0;
    FUZZ_CHECK("redact-structure", same,
               "text bytes " + std::to_string(t) + "-" + std::to_string(end) +
                   " are not at output byte " + std::to_string(o) + ": " +
                   where);
    o += length;
    t = end;
    return same;
  };
  for (const Run& run : runs) {
    if (!expect_text(run.span.begin)) return 0;
    const bool marker = out.compare(o, kMarker.size(), kMarker) == 0;
    const size_t close = marker ? out.find(']', o) : std::string::npos;
    FUZZ_CHECK("redact-structure", close != std::string::npos,
               "no marker at output byte " + std::to_string(o) +
                   " for text bytes " + std::to_string(run.span.begin) + "-" +
                   std::to_string(run.span.end) + ": " + where);
    if (close == std::string::npos) return 0;
    const std::string name =
        out.substr(o + kMarker.size(), close - o - kMarker.size());
    bool named_ok = false;
    for (size_t index : run.names) {
      if (secrets[index].credential == name) named_ok = true;
    }
    FUZZ_CHECK("redact-marker-names-longest", named_ok,
               "the marker for text bytes " + std::to_string(run.span.begin) +
                   "-" + std::to_string(run.span.end) + " names " +
                   Escape(name) + ", not a longest value of the run: " + where);
    o = close + 1;
    t = run.span.end;
  }
  if (!expect_text(text.size())) return 0;
  FUZZ_CHECK("redact-structure", o == out.size(),
             "output has " + std::to_string(out.size() - o) +
                 " bytes too many: " + where);
  FUZZ_CHECK("redact-count", result.replacements == runs.size(),
             std::to_string(result.replacements) + " replacements, " +
                 std::to_string(runs.size()) + " overlapping runs: " + where);
  return 0;
}
