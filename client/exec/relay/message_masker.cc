#include "relay/message_masker.h"

#include <utility>
#include <vector>

#include "mcpcred/common/stream_redactor.h"

namespace mcpcred::exec::relay {

MessageMasker::MessageMasker(std::shared_ptr<const RedactionSet> set)
    : set_(std::move(set)) {}

void MessageMasker::SetRedactionSet(std::shared_ptr<const RedactionSet> set) {
  set_ = std::move(set);
}

void MessageMasker::Count(const Counts& counts) {
  for (const auto& [label, count] : counts) {
    counts_[label] += count;
    total_ += count;
  }
}

MessageMasker::Counts MessageMasker::TakeCounts() {
  return std::exchange(counts_, {});
}

bool MessageMasker::MaskString(std::string* text) {
  if (text->size() < set_->shortest()) return false;
  RedactResult result = Redact(*text, *set_);
  if (result.replacements == 0) return false;
  Count(result.by_label);
  *text = std::move(result.text);
  return true;
}

std::string MessageMasker::MaskText(std::string_view text) {
  if (!Enabled()) return std::string(text);
  RedactResult result = Redact(text, *set_);
  Count(result.by_label);
  return std::move(result.text);
}

bool MessageMasker::MaskJson(Json* json) {
  if (!Enabled()) return false;
  bool changed = false;
  switch (json->type()) {
    case Json::value_t::string:
      changed = MaskString(json->get_ptr<std::string*>());
      break;
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: {
      std::string text = json->dump();
      if (MaskString(&text)) {
        *json = std::move(text);
        changed = true;
      }
      break;
    }
    case Json::value_t::array:
      for (Json& element : *json) changed |= MaskJson(&element);
      break;
    case Json::value_t::object: {
      bool keys_changed = false;
      for (auto it = json->begin(); it != json->end(); ++it) {
        changed |= MaskJson(&it.value());
        std::string key = it.key();
        keys_changed |= MaskString(&key);
      }
      if (keys_changed) {
        // Rebuilt in order; two keys masked alike keep the last value.
        Json rebuilt = Json::object();
        for (auto it = json->begin(); it != json->end(); ++it) {
          std::string key = it.key();
          if (key.size() >= set_->shortest()) {
            key = Redact(key, *set_).text;  // counted above
          }
          rebuilt[key] = std::move(it.value());
        }
        *json = std::move(rebuilt);
        changed = true;
      }
      break;
    }
    default:
      break;
  }
  return changed;
}

std::string MessageMasker::Render(std::string_view raw, Json* json,
                                  bool modified) {
  if (!Enabled()) {
    return modified && json != nullptr ? Serialize(*json) : std::string(raw);
  }
  if (json == nullptr) return MaskText(raw);
  // Fast path: no form of any value in the bytes, and no escape that could
  // spell one differently inside a string.
  if (raw.find('\\') == std::string_view::npos &&
      Redact(raw, *set_).replacements == 0) {
    return modified ? Serialize(*json) : std::string(raw);
  }
  modified |= MaskJson(json);
  std::string line = modified ? Serialize(*json) : std::string(raw);
  // A value spread over JSON syntax (across two tokens) is not inside any
  // one string: mask the bytes themselves rather than let it through.
  RedactResult check = Redact(line, *set_);
  if (check.replacements == 0) return line;
  Count(check.by_label);
  return std::move(check.text);
}

}  // namespace mcpcred::exec::relay
