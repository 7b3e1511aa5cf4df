// A value template such as "Bearer {access_token}": literal text with named
// variables in braces. "{{" and "}}" stand for literal braces.
//
// Thread-safe: immutable after Parse().
#ifndef MCPCRED_AGENT_CONFIG_TEMPLATE_H_
#define MCPCRED_AGENT_CONFIG_TEMPLATE_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "mcpcred/common/secret_string.h"

namespace mcpcred::config {

class Template {
 public:
  // Returns INVALID_ARGUMENT for an unclosed or empty "{}", a lone "}", or a
  // variable name that is not [a-z0-9_]+.
  static absl::StatusOr<Template> Parse(const std::string& text);

  // Returns the text with each variable replaced by its value (a secret).
  // Returns FAILED_PRECONDITION naming the variable if `values` lacks one. The
  // error never contains a value.
  absl::StatusOr<SecretString> Render(
      const std::map<std::string, SecretString>& values) const;

  // The variable names used, in order of first use.
  const std::vector<std::string>& variables() const { return variables_; }
  const std::string& source() const { return source_; }

 private:
  struct Part {
    bool is_variable;
    std::string text;  // literal text, or the variable name
  };
  std::string source_;
  std::vector<Part> parts_;
  std::vector<std::string> variables_;
};

}  // namespace mcpcred::config

#endif  // MCPCRED_AGENT_CONFIG_TEMPLATE_H_
