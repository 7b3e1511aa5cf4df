// Fuzzes what `mcpcred import` reads and writes of a host's config
// (client/cli/import/): the JSONC scanner, the JSON and TOML server scanners
// and the planner with its span edits. The whole input is the file's text,
// read as Claude Code's ~/.claude.json, as Zed's settings.json and as a
// gptme config.toml.
//
// Invariants:
//  - ParseJsonc fails with INVALID_ARGUMENT "line N: ..." or gives a tree
//    whose every span lies inside the text, members in file order;
//  - the planner never fails with INTERNAL: every rewritten file parses
//    again (its own safety net would otherwise refuse);
//  - planning a rewritten file again moves nothing (idempotence);
//  - no edit changes nothing: ApplyEdits(text, {}) is the text.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "host_files.h"
#include "import_plan.h"
#include "jsonc_document.h"
#include "tests/fuzz/fuzz_check.h"
#include "text_edit.h"

namespace {

using namespace mcpcred::cli::import;  // NOLINT
using mcpcred::fuzz::Escape;

void CheckSpans(const JsonNode& node, size_t size) {
  FUZZ_CHECK("span_inside", node.begin <= node.end && node.end <= size,
             "node span out of the text");
  size_t previous = 0;
  for (const MemberSpan& member : node.object.members) {
    FUZZ_CHECK("member_order",
               previous <= member.begin && member.begin < member.value_begin &&
                   member.value_begin < member.end && member.end <= size,
               "member span out of order: " + Escape(member.key));
    previous = member.end;
  }
  for (const auto& child : node.children) CheckSpans(*child, size);
}

void CheckPlan(const HostFile& file, std::string_view text) {
  absl::StatusOr<std::vector<ServerEntry>> servers =
      ScanText(file, absl::string_view(text.data(), text.size()));
  if (!servers.ok()) return;
  ScannedFile scanned;
  scanned.file = file;
  scanned.text = std::string(text);
  scanned.servers = *servers;
  PlanInput input;
  input.files.push_back(scanned);
  input.config_path = "/c/config.toml";
  absl::StatusOr<ImportPlan> plan = MakePlan(std::move(input));
  FUZZ_CHECK("plan_not_internal",
             plan.ok() || plan.status().code() != absl::StatusCode::kInternal,
             std::string(plan.status().message()));
  if (!plan.ok() || plan->files.empty()) return;
  const std::string& rewritten = plan->files[0].new_text;
  absl::StatusOr<std::vector<ServerEntry>> again_servers =
      ScanText(file, rewritten);
  FUZZ_CHECK("rewritten_parses", again_servers.ok(), Escape(rewritten));
  ScannedFile again;
  again.file = file;
  again.text = rewritten;
  again.servers = *again_servers;
  PlanInput second;
  second.files.push_back(again);
  second.config_path = "/c/config.toml";
  absl::StatusOr<ImportPlan> replan = MakePlan(std::move(second));
  FUZZ_CHECK("replan_ok", replan.ok(), std::string(replan.status().message()));
  FUZZ_CHECK("idempotent", replan->moved_secrets == 0, Escape(rewritten));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = mcpcred::fuzz::AsText(data, size);
  absl::string_view view(text.data(), text.size());
  absl::StatusOr<std::unique_ptr<JsonNode>> root = ParseJsonc(view);
  if (root.ok()) {
    CheckSpans(**root, text.size());
  } else {
    FUZZ_CHECK("error_names_line",
               root.status().code() == absl::StatusCode::kInvalidArgument &&
                   root.status().message().substr(0, 5) == "line ",
               std::string(root.status().message()));
  }
  absl::StatusOr<std::string> same = ApplyEdits(view, {});
  FUZZ_CHECK("no_edit_same", same.ok() && *same == text, "");
  Places places{"/h", "/h/.config", "/p"};
  for (const HostFile& file : HostFiles(places)) {
    if (file.path == "/h/.claude.json" ||
        file.path == "/h/.config/zed/settings.json" ||
        file.path == "/h/.config/gptme/config.toml") {
      CheckPlan(file, text);
    }
  }
  return 0;
}
