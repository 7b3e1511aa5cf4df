// Fuzzes mcpcred::config::Template::Parse and Render
// (agent/config/template.h), and ParseValueTemplate (validation.h) on the
// same text. The whole input is the template text.
//
// Invariants:
//  - Parse fails with INVALID_ARGUMENT or gives a template whose source() is
//    the text and whose variables() are distinct [a-z0-9_]+ names in order
//    of first use, as an independent scan of the text finds them;
//  - Render with every variable set gives what the independent scan gives;
//  - Render without one variable fails with FAILED_PRECONDITION naming it,
//    and the message shows none of the other (secret) values;
//  - the rendered literal text, with its braces doubled again, parses to a
//    template without variables that renders to that same text;
//  - ParseValueTemplate (raw == expanded) agrees with Parse, and refuses
//    exactly the templates that use a variable outside the allowed list.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "agent/config/template.h"
#include "agent/config/validation.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/render_plain.h"

namespace {

using mcpcred::config::Template;
using mcpcred::fuzz::Contains;
using mcpcred::fuzz::Escape;
using mcpcred::fuzz::RenderPlain;

// The template grammar written out again: "{{" and "}}" are literal braces,
// "{name}" is a variable, anything else is literal. Returns nullopt where
// Parse must fail; otherwise the text with each variable replaced by
// `render(name)` and, in `variables`, the names in order of first use.
template <typename RenderFn>
std::optional<std::string> Scan(std::string_view text, RenderFn render,
                                std::vector<std::string>* variables) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    std::string_view rest = text.substr(i);
    if (rest.rfind("{{", 0) == 0 || rest.rfind("}}", 0) == 0) {
      out.push_back(rest[0]);
      i += 2;
    } else if (rest[0] == '}') {
      return std::nullopt;
    } else if (rest[0] == '{') {
      size_t close = rest.find('}');
      if (close == std::string_view::npos || close == 1) return std::nullopt;
      std::string name(rest.substr(1, close - 1));
      for (char c : name) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        if (!ok) return std::nullopt;
      }
      if (std::find(variables->begin(), variables->end(), name) ==
          variables->end()) {
        variables->push_back(name);
      }
      out += render(name);
      i += close + 1;
    } else {
      out.push_back(rest[0]);
      ++i;
    }
  }
  return out;
}

std::string DoubleBraces(std::string_view text) {
  std::string out;
  for (char c : text) {
    out.push_back(c);
    if (c == '{' || c == '}') out.push_back(c);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 16 * 1024) return 0;
  const std::string text(mcpcred::fuzz::AsText(data, size));

  absl::StatusOr<Template> parsed = Template::Parse(text);
  std::vector<std::string> expected_variables;
  std::optional<std::string> expected = Scan(
      text, [](const std::string& name) { return "<" + name + ">"; },
      &expected_variables);

  const std::vector<std::string> allowed = {"access_token", "secret"};
  absl::StatusOr<Template> value_template =
      mcpcred::config::ParseValueTemplate(text, text, allowed);

  if (!parsed.ok()) {
    FUZZ_CHECK("template-error-code",
               parsed.status().code() == absl::StatusCode::kInvalidArgument,
               "Parse failed with " + parsed.status().ToString());
    FUZZ_CHECK("template-parse-matches-grammar", !expected.has_value(),
               "Parse refused " + Escape(text) +
                   ", which the grammar accepts: " +
                   std::string(parsed.status().message()));
    FUZZ_CHECK(
        "template-value-template-agrees",
        !value_template.ok() && value_template.status() == parsed.status(),
        "ParseValueTemplate disagrees with Parse on " + Escape(text));
    return 0;
  }
  FUZZ_CHECK("template-parse-matches-grammar", expected.has_value(),
             "Parse accepted " + Escape(text) + ", which the grammar refuses");
  if (!expected.has_value()) return 0;
  const Template& tmpl = *parsed;
  FUZZ_CHECK("template-source-kept", tmpl.source() == text,
             "source() is " + Escape(tmpl.source()));
  FUZZ_CHECK("template-variables", tmpl.variables() == expected_variables,
             "variables() differ from the grammar's for " + Escape(text));

  // Every variable set: the grammar's rendering.
  std::map<std::string, std::string> values;
  for (const std::string& name : tmpl.variables()) {
    values[name] = "<" + name + ">";
  }
  absl::StatusOr<std::string> rendered = RenderPlain(tmpl, values);
  FUZZ_CHECK(
      "template-render", rendered.ok() && *rendered == *expected,
      "Render of " + Escape(text) + " gives " +
          (rendered.ok() ? Escape(*rendered) : rendered.status().ToString()) +
          ", expected " + Escape(*expected));

  // One variable missing: the error names it and shows no value.
  if (!tmpl.variables().empty()) {
    std::map<std::string, std::string> secrets;
    for (const std::string& name : tmpl.variables()) {
      secrets[name] = "SeCrEt-value-" + name;
    }
    const std::string missing = tmpl.variables().front();
    secrets.erase(missing);
    absl::StatusOr<std::string> failed = RenderPlain(tmpl, secrets);
    FUZZ_CHECK(
        "template-render-missing",
        !failed.ok() &&
            failed.status().code() == absl::StatusCode::kFailedPrecondition,
        "Render without " + missing + " gives " +
            (failed.ok() ? Escape(*failed) : failed.status().ToString()));
    if (!failed.ok()) {
      const std::string message(failed.status().message());
      FUZZ_CHECK("template-render-missing",
                 Contains(message, "\"" + missing + "\""),
                 "the error does not name " + missing + ": " + message);
      FUZZ_CHECK("template-render-error-shows-value",
                 !Contains(message, "SeCrEt-value-"),
                 "the error shows a value: " + Escape(message));
    }
  }

  // Round trip of the literal text.
  std::vector<std::string> ignored;
  std::optional<std::string> literal = Scan(
      text, [](const std::string&) { return std::string(); }, &ignored);
  absl::StatusOr<std::string> bare = RenderPlain(tmpl, [&] {
    std::map<std::string, std::string> empty_values;
    for (const std::string& name : tmpl.variables()) empty_values[name] = "";
    return empty_values;
  }());
  if (literal.has_value() && bare.ok()) {
    FUZZ_CHECK("template-render", *bare == *literal,
               "Render with empty values gives " + Escape(*bare));
    absl::StatusOr<Template> again = Template::Parse(DoubleBraces(*literal));
    FUZZ_CHECK("template-escape-round-trip",
               again.ok() && again->variables().empty() &&
                   RenderPlain(*again, {}).value_or("\x01") == *literal,
               "the literal text " + Escape(*literal) +
                   " with doubled braces does not parse back to itself");
  }

  // ParseValueTemplate with raw == expanded.
  const bool all_allowed = std::all_of(
      tmpl.variables().begin(), tmpl.variables().end(),
      [&](const std::string& name) {
        return std::find(allowed.begin(), allowed.end(), name) != allowed.end();
      });
  FUZZ_CHECK("template-value-template-agrees",
             value_template.ok() == all_allowed,
             "ParseValueTemplate " +
                 std::string(value_template.ok() ? "accepted" : "refused") +
                 " " + Escape(text));
  if (!value_template.ok()) {
    FUZZ_CHECK(
        "template-error-code",
        value_template.status().code() == absl::StatusCode::kInvalidArgument,
        value_template.status().ToString());
  }
  return 0;
}
