// Micro benchmarks of the redactor behind the Redact RPC: 64 KiB of text
// holding 10 secrets (in every encoded form), and building the automaton for
// 100 values. Registered with Google Benchmark; runs after the
// socket benchmarks (filter it with --benchmark_filter).
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "mcpcred/common/stream_redactor.h"

namespace mcpcred::bench {
namespace {

constexpr size_t kTextBytes = 64 * 1024;
constexpr int kSecrets = 10;
constexpr int kOccurrencesEach = 5;

std::string RandomToken(std::mt19937& rng, size_t length) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_";
  std::uniform_int_distribution<size_t> pick(0, sizeof(kAlphabet) - 2);
  std::string out(length, ' ');
  for (char& c : out) c = kAlphabet[pick(rng)];
  return out;
}

// Tool-output-like text: lowercase words and newlines, with every secret
// appearing kOccurrencesEach times.
struct Corpus {
  std::string text;
  std::vector<SecretValue> secrets;
};

Corpus MakeCorpus() {
  std::mt19937 rng(42);
  Corpus corpus;
  for (int i = 0; i < kSecrets; ++i) {
    corpus.secrets.push_back(
        {SecretString(absl::StrCat("ghp_", RandomToken(rng, 36))),
         absl::StrCat("cred", i)});
  }
  std::uniform_int_distribution<int> word_length(2, 9);
  std::uniform_int_distribution<int> letter('a', 'z');
  std::uniform_int_distribution<int> one_in(0, 11);
  while (corpus.text.size() < kTextBytes) {
    int n = word_length(rng);
    for (int i = 0; i < n; ++i) corpus.text.push_back(letter(rng));
    corpus.text.push_back(one_in(rng) == 0 ? '\n' : ' ');
  }
  // One occurrence per stripe, so none overlaps another.
  constexpr size_t kStripe = kTextBytes / (kSecrets * kOccurrencesEach);
  std::uniform_int_distribution<size_t> offset(0, kStripe - 64);
  for (int k = 0; k < kSecrets * kOccurrencesEach; ++k) {
    const std::string_view value = corpus.secrets[k % kSecrets].value.view();
    corpus.text.replace(k * kStripe + offset(rng), value.size(), value);
  }
  corpus.text.resize(kTextBytes);
  return corpus;
}

void BM_Redact64KiB10Secrets(benchmark::State& state) {
  const Corpus corpus = MakeCorpus();
  // Built once, as the agent does per set of held values.
  const auto set = RedactionSet::Build(corpus.secrets);
  uint64_t replacements = 0;
  for (auto _ : state) {
    RedactResult result = Redact(corpus.text, *set);
    replacements = result.replacements;
    benchmark::DoNotOptimize(result.text.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          kTextBytes);
  state.counters["replacements"] = static_cast<double>(replacements);
}
BENCHMARK(BM_Redact64KiB10Secrets)->Unit(benchmark::kMicrosecond);

void BM_BuildSet100Secrets(benchmark::State& state) {
  std::mt19937 rng(7);
  std::vector<SecretValue> secrets;
  for (int i = 0; i < 100; ++i) {
    secrets.push_back({SecretString(absl::StrCat("ghp_", RandomToken(rng, 36))),
                       absl::StrCat("cred", i)});
  }
  for (auto _ : state) {
    auto set = RedactionSet::Build(secrets);
    benchmark::DoNotOptimize(set.get());
    state.counters["states"] = static_cast<double>(set->states());
  }
}
BENCHMARK(BM_BuildSet100Secrets)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace mcpcred::bench
