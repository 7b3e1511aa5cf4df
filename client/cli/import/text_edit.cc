#include "text_edit.h"

#include <algorithm>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace mcpcred::cli::import {
namespace {

size_t LineStart(absl::string_view text, size_t pos) {
  while (pos > 0 && text[pos - 1] != '\n') --pos;
  return pos;
}

bool OnlyBlanks(absl::string_view text, size_t begin, size_t end) {
  for (size_t i = begin; i < end; ++i) {
    if (text[i] != ' ' && text[i] != '\t') return false;
  }
  return true;
}

// From `pos`: past blanks and a comment ending the line. Returns the position
// just past the line's newline when only those follow, else kNoPosition.
size_t RestOfLineEnd(absl::string_view text, size_t pos) {
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
  bool comment = text.substr(pos, 2) == "//" || text.substr(pos, 1) == "#";
  if (comment) {
    while (pos < text.size() && text[pos] != '\n') ++pos;
  }
  if (pos < text.size() && text[pos] == '\r') ++pos;
  if (pos >= text.size()) return text.size();
  if (text[pos] == '\n') return pos + 1;
  return kNoPosition;
}

// [begin, end) widened to whole lines when nothing else shares them.
TextEdit RemoveSpan(absl::string_view text, size_t begin, size_t end) {
  size_t line_start = LineStart(text, begin);
  size_t line_end = RestOfLineEnd(text, end);
  if (OnlyBlanks(text, line_start, begin) && line_end != kNoPosition) {
    return TextEdit{line_start, line_end, ""};
  }
  // Another member follows on the same line: take the blanks up to it.
  while (end < text.size() && (text[end] == ' ' || text[end] == '\t')) ++end;
  return TextEdit{begin, end, ""};
}

}  // namespace

absl::StatusOr<std::string> ApplyEdits(absl::string_view text,
                                       std::vector<TextEdit> edits) {
  std::sort(edits.begin(), edits.end(),
            [](const TextEdit& a, const TextEdit& b) {
              return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
            });
  std::string out;
  size_t done = 0;
  for (const TextEdit& edit : edits) {
    if (edit.begin < done || edit.end < edit.begin || edit.end > text.size()) {
      return absl::InternalError(absl::StrCat(
          "overlapping or out of range edit at byte ", edit.begin));
    }
    absl::StrAppend(&out, text.substr(done, edit.begin - done),
                    edit.replacement);
    done = edit.end;
  }
  absl::StrAppend(&out, text.substr(done));
  return out;
}

const MemberSpan* ObjectSpan::Find(absl::string_view key) const {
  for (const MemberSpan& member : members) {
    if (member.key == key) return &member;
  }
  return nullptr;
}

std::vector<TextEdit> RemoveMembers(absl::string_view text,
                                    const ObjectSpan& object,
                                    const std::vector<size_t>& remove,
                                    absl::string_view empty_object) {
  std::set<size_t> removed(remove.begin(), remove.end());
  std::vector<TextEdit> edits;
  if (removed.empty()) return edits;
  const std::vector<MemberSpan>& members = object.members;
  if (!object.comma_separated) {
    for (size_t i : removed) {
      edits.push_back(RemoveSpan(text, members[i].begin, members[i].end));
    }
    return edits;
  }
  if (removed.size() == members.size()) {
    edits.push_back(
        TextEdit{object.begin, object.end, std::string(empty_object)});
    return edits;
  }
  // Runs of neighbouring members go in one edit, so that edits never
  // overlap over the commas between them.
  for (auto it = removed.begin(); it != removed.end();) {
    size_t first = *it;
    size_t last = first;
    for (++it; it != removed.end() && *it == last + 1; ++it) last = *it;
    if (members[last].comma != kNoPosition) {
      edits.push_back(
          RemoveSpan(text, members[first].begin, members[last].comma + 1));
    } else {
      // The object's last members, without a trailing comma: the comma
      // before them goes, from the end of the member that stays.
      edits.push_back(TextEdit{members[first - 1].end, members[last].end, ""});
    }
  }
  return edits;
}

std::string SeparatorAfter(absl::string_view text, const ObjectSpan& object,
                           const MemberSpan& member) {
  size_t line_start = LineStart(text, member.begin);
  bool starts_line = OnlyBlanks(text, line_start, member.begin);
  std::string indent(text.substr(line_start, member.begin - line_start));
  if (!object.comma_separated) return absl::StrCat("\n", indent);
  if (!starts_line) return ", ";
  return absl::StrCat(",\n", indent);
}

}  // namespace mcpcred::cli::import
