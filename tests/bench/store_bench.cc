// Read and write latency of each secret store backend: memory, the encrypted
// file (whose Put rewrites and fsyncs the whole file, so it is measured with
// 1 and 100 entries), and the Secret Service (a D-Bus round trip to
// gnome-keyring) when one answers on the session bus:
//
//   tests/integration/with_keyring.sh BUILD/tests/bench/store_bench
//
// Without a session bus the Secret Service cases are skipped with a message.
// A benchmark, not a test: never registered with ctest.
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "agent/store/file_store.h"
#include "agent/store/memory_store.h"
#include "agent/store/secret_service_store.h"

namespace mcpcred::bench {
namespace {

// The size of a typical API key or refresh token.
const SecretString kValue(std::string(64, 'v'));
const StoreKey kKey{"bench", "refresh_token", "https://issuer.example"};

// A store file in a fresh directory, removed afterwards. Under /var/tmp by
// default: /tmp may be a tmpfs, whose fsync costs nothing.
class ScratchFileStore {
 public:
  ScratchFileStore() {
    const char* base = getenv("STORE_BENCH_DIR");
    std::string pattern = absl::StrCat(base != nullptr ? base : "/var/tmp",
                                       "/store-bench-XXXXXX");
    dir_ = mkdtemp(pattern.data()) != nullptr ? pattern : "";
    store_ = std::make_unique<FileStore>(
        FileStoreOptions{dir_ + "/state/secrets.db", {}});
  }
  ~ScratchFileStore() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  FileStore* get() { return store_.get(); }

 private:
  std::string dir_;
  std::unique_ptr<FileStore> store_;
};

// Fills `store` with `entries` entries besides kKey.
bool Fill(SecretStore* store, int64_t entries, benchmark::State& state) {
  for (int64_t i = 0; i + 1 < entries; ++i) {
    if (!store->Put({absl::StrCat("filler", i), "secret", ""}, kValue).ok()) {
      state.SkipWithError("cannot fill the store");
      return false;
    }
  }
  if (!store->Put(kKey, kValue).ok()) {
    state.SkipWithError("cannot write the store");
    return false;
  }
  return true;
}

void RunGets(SecretStore* store, benchmark::State& state) {
  for (auto _ : state) {
    absl::StatusOr<SecretString> value = store->Get(kKey);
    if (!value.ok()) {
      state.SkipWithError(std::string(value.status().message()).c_str());
      break;
    }
    benchmark::DoNotOptimize(value);
  }
}

void RunPuts(SecretStore* store, benchmark::State& state) {
  for (auto _ : state) {
    absl::Status put = store->Put(kKey, kValue);
    if (!put.ok()) {
      state.SkipWithError(std::string(put.message()).c_str());
      break;
    }
  }
}

void BM_MemoryGet(benchmark::State& state) {
  MemoryStore store;
  if (Fill(&store, 1, state)) RunGets(&store, state);
}
BENCHMARK(BM_MemoryGet);

void BM_MemoryPut(benchmark::State& state) {
  MemoryStore store;
  RunPuts(&store, state);
}
BENCHMARK(BM_MemoryPut);

void BM_FileGet(benchmark::State& state) {
  ScratchFileStore store;
  if (Fill(store.get(), state.range(0), state)) RunGets(store.get(), state);
}
BENCHMARK(BM_FileGet)->Arg(1)->Arg(100);

void BM_FilePut(benchmark::State& state) {
  ScratchFileStore store;
  if (Fill(store.get(), state.range(0), state)) RunPuts(store.get(), state);
}
BENCHMARK(BM_FilePut)->Arg(1)->Arg(100)->UseRealTime();

// A restart: a new store reads and authenticates the whole file.
void BM_FileFirstGet(benchmark::State& state) {
  ScratchFileStore filled;
  if (!Fill(filled.get(), state.range(0), state)) return;
  const std::string path = filled.get()->location();
  for (auto _ : state) {
    FileStore store(FileStoreOptions{path, {}});
    benchmark::DoNotOptimize(store.Get(kKey));
  }
}
BENCHMARK(BM_FileFirstGet)->Arg(1)->Arg(100);

bool SecretServiceAnswers(benchmark::State& state) {
  absl::Status probe = SecretServiceStore::Probe(absl::Seconds(2));
  if (probe.ok()) return true;
  state.SkipWithError(
      absl::StrCat("no Secret Service (run under with_keyring.sh): ",
                   probe.message())
          .c_str());
  return false;
}

void BM_SecretServiceGet(benchmark::State& state) {
  if (!SecretServiceAnswers(state)) return;
  SecretServiceStore store;
  if (Fill(&store, 1, state)) RunGets(&store, state);
  (void)store.Delete(kKey);
}
BENCHMARK(BM_SecretServiceGet)->UseRealTime();

void BM_SecretServicePut(benchmark::State& state) {
  if (!SecretServiceAnswers(state)) return;
  SecretServiceStore store;
  RunPuts(&store, state);
  (void)store.Delete(kKey);
}
BENCHMARK(BM_SecretServicePut)->UseRealTime();

void BM_SecretServiceList(benchmark::State& state) {
  if (!SecretServiceAnswers(state)) return;
  SecretServiceStore store;
  if (!Fill(&store, 10, state)) return;
  for (auto _ : state) benchmark::DoNotOptimize(store.List());
}
BENCHMARK(BM_SecretServiceList)->UseRealTime();

}  // namespace
}  // namespace mcpcred::bench

BENCHMARK_MAIN();
