// Which values in an MCP host's config are literal secrets that `mcpcred
// import` should move into the agent.
//
// The rule, in order:
//  1. Not a literal, so never a secret: an empty value; a reference the
//     host expands (anything with "${", "{env:" or "$NAME": `${input:x}`,
//     `${env:X}`, `${X}`); true/false/yes/no/on/off/null; a number; a path
//     (starting with "/", "./", "../" or "~/"); a URL without a password in
//     it; anything shorter than 8 characters.
//  2. A secret when the key says so: a word of the env key or header name
//     (split at "_", "-", "." and lower-to-upper case changes) is one of
//     TOKEN, SECRET, PASSWORD, PASSWD, PASS, KEY, APIKEY, AUTH,
//     AUTHORIZATION, CREDENTIAL(S), COOKIE, PAT, PRIVATE, SESSION.
//  3. Else a secret when the value says so: it starts with a known token
//     prefix (ghp_, github_pat_, sk-, xoxb-, glpat-, ...), with an
//     authorization scheme ("Bearer ", "Basic ", "Token "), or is a URL
//     with a password (scheme://user:password@host).
// A header value "SCHEME TOKEN" (Bearer, Basic, Token, Bot) keeps its scheme
// in the host's template: only TOKEN is the secret.
//
// Thread-safe: functions only.
#ifndef MCPCRED_CLIENT_CLI_IMPORT_SECRET_DETECTOR_H_
#define MCPCRED_CLIENT_CLI_IMPORT_SECRET_DETECTOR_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace mcpcred::cli::import {

struct DetectedSecret {
  // What precedes the secret in the value ("Bearer "), or "".
  std::string scheme;
  // The secret itself.
  std::string secret;
};

// True if `value` is a reference its host expands rather than a literal.
bool IsReference(absl::string_view value);

// The secret in `value`, the value of env key or header name `key`, or
// nullopt when it is not a literal secret by the rule above.
std::optional<DetectedSecret> DetectSecret(absl::string_view key,
                                           absl::string_view value);

}  // namespace mcpcred::cli::import

#endif  // MCPCRED_CLIENT_CLI_IMPORT_SECRET_DETECTOR_H_
