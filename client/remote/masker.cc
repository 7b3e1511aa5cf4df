#include "masker.h"

#include <vector>

#include "mcpcred/common/stream_redactor.h"
#include "nlohmann/json.hpp"

namespace mcpcred::remote {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kLabel = "[REDACTED:";

// The labels `redacted` has beyond those already in `original`.
void AddNewLabels(std::string_view original, std::string_view redacted,
                  RedactionCounts* counts) {
  RedactionCounts before = CountLabels(original);
  for (const auto& [label, count] : CountLabels(redacted)) {
    uint64_t had = before[label];
    if (count > had) (*counts)[label] += count - had;
  }
}

// Masks `text` in place; true if it changed.
bool MaskString(std::string* text, const RedactionSet& set,
                RedactionCounts* counts) {
  RedactResult result = Redact(*text, set);
  if (result.replacements == 0) return false;
  AddNewLabels(*text, result.text, counts);
  *text = std::move(result.text);
  return true;
}

bool MaskJson(Json* value, const RedactionSet& set, RedactionCounts* counts) {
  bool changed = false;
  if (value->is_string()) {
    changed = MaskString(value->get_ptr<std::string*>(), set, counts);
  } else if (value->is_array()) {
    for (Json& item : *value) changed |= MaskJson(&item, set, counts);
  } else if (value->is_object()) {
    std::vector<std::pair<std::string, std::string>> renamed;
    for (auto it = value->begin(); it != value->end(); ++it) {
      changed |= MaskJson(&it.value(), set, counts);
      std::string key = it.key();
      if (MaskString(&key, set, counts)) renamed.emplace_back(it.key(), key);
    }
    for (auto& [from, to] : renamed) {
      Json moved = std::move((*value)[from]);
      value->erase(from);
      (*value)[to] = std::move(moved);
      changed = true;
    }
  }
  return changed;
}

}  // namespace

RedactionCounts CountLabels(std::string_view text) {
  RedactionCounts counts;
  for (size_t at = text.find(kLabel); at != std::string_view::npos;
       at = text.find(kLabel, at + 1)) {
    size_t from = at + kLabel.size();
    size_t end = text.find(']', from);
    if (end == std::string_view::npos) break;
    ++counts[std::string(text.substr(from, end - from))];
  }
  return counts;
}

bool Masker::AddCredential(const v1::Credential& credential) {
  absl::MutexLock lock(&mu_);
  if (!versions_.emplace(credential.name(), credential.version()).second) {
    return false;
  }
  if (!credential.token().empty()) own_[credential.token()] = credential.name();
  for (const std::string& header : credential.secret_header_names()) {
    auto it = credential.headers().find(header);
    if (it != credential.headers().end() && !it->second.empty()) {
      own_[it->second] = credential.name();
    }
  }
  Rebuild();
  return true;
}

void Masker::SetAgentValues(const v1::GetRedactionValuesResponse& values) {
  absl::MutexLock lock(&mu_);
  agent_.clear();
  for (const v1::RedactionValue& value : values.values()) {
    agent_[value.value()] = value.credential();
  }
  if (values.min_length() > 0) min_length_ = values.min_length();
  Rebuild();
}

void Masker::Rebuild() {
  // Borrowed: building the set copies no value.
  std::vector<SecretValueRef> secrets;
  for (const auto* values : {&own_, &agent_}) {
    for (const auto& [value, credential] : *values) {
      secrets.push_back({value, credential});
    }
  }
  RedactionSet::Options options;
  options.min_length = min_length_;
  set_ = RedactionSet::BuildBorrowed(secrets, options);
}

std::shared_ptr<const RedactionSet> Masker::set() const {
  absl::MutexLock lock(&mu_);
  return set_;
}

void Masker::Count(const RedactionCounts& counts) {
  if (counts.empty()) return;
  absl::MutexLock lock(&mu_);
  for (const auto& [credential, count] : counts) counts_[credential] += count;
}

std::string Masker::Mask(std::string_view message) {
  std::shared_ptr<const RedactionSet> set = this->set();
  bool one_line = message.find_first_of("\r\n") == std::string_view::npos;
  bool empty_set = set == nullptr || set->patterns() == 0;
  if (empty_set && one_line) return std::string(message);

  RedactionCounts counts;
  Json json = Json::parse(message, nullptr, /*allow_exceptions=*/false);
  std::string out;
  if (!json.is_discarded()) {
    bool changed = !empty_set && MaskJson(&json, *set, &counts);
    out = changed || !one_line
              ? json.dump(-1, ' ', false, Json::error_handler_t::replace)
              : std::string(message);
  } else {
    // Not JSON: masked as raw text, its line breaks escaped.
    std::string raw(message);
    if (!empty_set) MaskString(&raw, *set, &counts);
    for (char c : raw) {
      if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else {
        out.push_back(c);
      }
    }
  }
  Count(counts);
  return out;
}

RedactionCounts Masker::TakeCounts() {
  absl::MutexLock lock(&mu_);
  RedactionCounts counts = std::move(counts_);
  counts_.clear();
  return counts;
}

}  // namespace mcpcred::remote
