#include "entry_rewriter.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "jsonc_document.h"
#include "toml_servers.h"

namespace mcpcred::cli::import {
namespace {

std::string Quote(EntrySyntax syntax, absl::string_view value) {
  return syntax.toml ? TomlQuote(value) : JsonQuote(value);
}

std::string KeyValue(EntrySyntax syntax, absl::string_view key,
                     absl::string_view value_text) {
  return syntax.toml ? absl::StrCat(TomlKey(key), " = ", value_text)
                     : absl::StrCat(JsonQuote(key), ": ", value_text);
}

std::string Array(EntrySyntax syntax, const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    absl::StrAppend(&out, i == 0 ? "" : ", ", Quote(syntax, items[i]));
  }
  return out + "]";
}

size_t IndexOf(const ObjectSpan& object, const MemberSpan* member) {
  return static_cast<size_t>(member - object.members.data());
}

// `member` replaced by `first` and, after it in the same style, `second`.
TextEdit ReplaceWithTwo(absl::string_view text, const ObjectSpan& object,
                        const MemberSpan& member, const std::string& first,
                        const std::string& second) {
  return TextEdit{
      member.begin, member.end,
      absl::StrCat(first, SeparatorAfter(text, object, member), second)};
}

void RemoveWholeTable(absl::string_view text, const StringTable& table,
                      std::vector<TextEdit>* edits) {
  std::vector<size_t> all;
  for (size_t i = 0; i < table.span.members.size(); ++i) all.push_back(i);
  std::vector<TextEdit> removed = RemoveMembers(text, table.span, all, "{}");
  edits->insert(edits->end(), removed.begin(), removed.end());
}

absl::Status Exec(absl::string_view text, EntrySyntax syntax,
                  const ServerEntry& entry, const EntryRewrite& rewrite,
                  std::vector<TextEdit>* edits) {
  const MemberSpan* command = entry.entry.Find("command");
  if (command == nullptr || !entry.command.has_value()) {
    return absl::InternalError("the entry has no command");
  }
  std::string exec = Quote(syntax, "mcpcred-exec");
  std::string args = Array(syntax, RewrittenArgs(entry, rewrite));
  const MemberSpan* old_args = entry.entry.Find("args");
  if (old_args != nullptr) {
    edits->push_back(TextEdit{command->value_begin, command->end, exec});
    edits->push_back(TextEdit{old_args->value_begin, old_args->end, args});
  } else {
    edits->push_back(ReplaceWithTwo(text, entry.entry, *command,
                                    KeyValue(syntax, "command", exec),
                                    KeyValue(syntax, "args", args)));
  }
  if (!entry.env.has_value() || rewrite.removed_env.empty()) {
    return absl::OkStatus();
  }
  std::vector<size_t> removed;
  const std::vector<MemberSpan>& members = entry.env->span.members;
  for (size_t i = 0; i < members.size(); ++i) {
    if (std::find(rewrite.removed_env.begin(), rewrite.removed_env.end(),
                  members[i].key) != rewrite.removed_env.end()) {
      removed.push_back(i);
    }
  }
  std::vector<TextEdit> env_edits =
      RemoveMembers(text, entry.env->span, removed, "{}");
  edits->insert(edits->end(), env_edits.begin(), env_edits.end());
  return absl::OkStatus();
}

absl::Status HeadersHelper(EntrySyntax syntax, const ServerEntry& entry,
                           const EntryRewrite& rewrite,
                           std::vector<TextEdit>* edits) {
  const MemberSpan* headers = entry.entry.Find("headers");
  if (headers == nullptr || rewrite.credentials.size() != 1) {
    return absl::InternalError("the entry has no headers");
  }
  std::string helper =
      absl::StrCat("mcpcred headers ", rewrite.credentials[0], " --json");
  edits->push_back(
      TextEdit{headers->begin, headers->end,
               KeyValue(syntax, "headersHelper", Quote(syntax, helper))});
  return absl::OkStatus();
}

absl::Status Remote(absl::string_view text, EntrySyntax syntax,
                    const ServerEntry& entry, const EntryRewrite& rewrite,
                    std::vector<TextEdit>* edits) {
  const MemberSpan* url = entry.entry.Find("url");
  if (url == nullptr) url = entry.entry.Find("serverUrl");
  if (url == nullptr || !entry.url.has_value() ||
      rewrite.credentials.size() != 1) {
    return absl::InternalError("the entry has no url");
  }
  edits->push_back(ReplaceWithTwo(
      text, entry.entry, *url,
      KeyValue(syntax, "command", Quote(syntax, "mcpcred-remote")),
      KeyValue(syntax, "args", Array(syntax, RewrittenArgs(entry, rewrite)))));
  if (const MemberSpan* type = entry.entry.Find("type")) {
    edits->push_back(
        TextEdit{type->value_begin, type->end, Quote(syntax, "stdio")});
  }
  if (const MemberSpan* headers = entry.entry.Find("headers")) {
    std::vector<TextEdit> removed =
        RemoveMembers(text, entry.entry, {IndexOf(entry.entry, headers)}, "{}");
    edits->insert(edits->end(), removed.begin(), removed.end());
  } else if (entry.headers.has_value() && entry.headers->separate) {
    RemoveWholeTable(text, *entry.headers, edits);
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<std::string> RewrittenArgs(const ServerEntry& entry,
                                       const EntryRewrite& rewrite) {
  std::vector<std::string> args;
  switch (rewrite.kind) {
    case EntryRewrite::Kind::kExec:
      args = rewrite.credentials;
      args.push_back("--");
      args.push_back(entry.command.value_or(""));
      args.insert(args.end(), entry.args.begin(), entry.args.end());
      break;
    case EntryRewrite::Kind::kRemote:
      args = {rewrite.credentials.empty() ? "" : rewrite.credentials[0],
              entry.url.value_or("")};
      break;
    case EntryRewrite::Kind::kHeadersHelper:
      break;
  }
  return args;
}

absl::StatusOr<std::vector<TextEdit>> RewriteEntry(
    absl::string_view text, EntrySyntax syntax, const ServerEntry& entry,
    const EntryRewrite& rewrite) {
  std::vector<TextEdit> edits;
  absl::Status status;
  switch (rewrite.kind) {
    case EntryRewrite::Kind::kExec:
      status = Exec(text, syntax, entry, rewrite, &edits);
      break;
    case EntryRewrite::Kind::kHeadersHelper:
      status = HeadersHelper(syntax, entry, rewrite, &edits);
      break;
    case EntryRewrite::Kind::kRemote:
      status = Remote(text, syntax, entry, rewrite, &edits);
      break;
  }
  if (!status.ok()) {
    return absl::Status(status.code(),
                        absl::StrCat("server \"", entry.name, "\" (",
                                     entry.where, "): ", status.message()));
  }
  return edits;
}

}  // namespace mcpcred::cli::import
