#include "redaction_reporter.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "diagnostics.h"

namespace mcpcred::remote {

std::string DescribeCounts(const RedactionCounts& counts) {
  uint64_t total = 0;
  std::vector<std::string> each;
  for (const auto& [credential, count] : counts) {
    total += count;
    each.push_back(absl::StrCat(credential, ": ", count));
  }
  return absl::StrCat("masked ", total, " secret value", total == 1 ? "" : "s",
                      " in the server's output (", absl::StrJoin(each, ", "),
                      ")");
}

RedactionReporter::RedactionReporter(Client* client, Masker* masker,
                                     std::string source, absl::Duration period)
    : client_(client),
      masker_(masker),
      source_(std::move(source)),
      period_(period),
      thread_([this] { Run(); }) {}

RedactionReporter::~RedactionReporter() { Stop(); }

void RedactionReporter::Run() {
  absl::MutexLock lock(&mu_);
  while (!mu_.AwaitWithTimeout(absl::Condition(&stopping_), period_)) {
    mu_.Unlock();
    Report();
    mu_.Lock();
  }
}

void RedactionReporter::Report() {
  RedactionCounts counts = masker_->TakeCounts();
  if (counts.empty()) return;
  Say(DescribeCounts(counts));
  if (client_ == nullptr) return;
  v1::ReportRedactionsRequest request;
  request.set_source(source_);
  for (const auto& [credential, count] : counts) {
    (*request.mutable_counts())[credential] = count;
  }
  absl::Status reported = client_->ReportRedactions(request);
  if (!reported.ok()) {
    Say(absl::StrCat("cannot report redactions to the agent: ",
                     reported.message()));
  }
}

void RedactionReporter::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
  Report();
}

}  // namespace mcpcred::remote
