// A main() for the fuzz targets that needs no libFuzzer, so every compiler
// builds them and ctest runs them: it feeds LLVMFuzzerTestOneInput
//   1. every file named on the command line, and every regular file under
//      every directory named (recursively, in sorted order);
//   2. unless --no-generated: a built-in set of generated inputs, the same on
//      every run: the empty input, every one-byte input, random byte strings
//      from a fixed seed, and mutations (bit flips, interesting bytes,
//      insertions, deletions, duplications, splices) of the files of 1.
// Options: --no-generated, --random=N (default 300), --mutations=N per file
// (default 24), --seed=N, -v (name each input as it runs). Other arguments
// starting with "-" (libFuzzer flags) are ignored.
//
// A crash or a failed invariant aborts; the signal handler first names the
// input (and prints a generated one in hex) so it can be reproduced.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc,
                                                          char*** argv);

namespace {

namespace fs = std::filesystem;

struct Input {
  std::string name;
  std::string bytes;
};

// What the signal handler prints: set before each input runs.
std::string g_name;
const std::string* g_bytes = nullptr;
bool g_generated = false;

void WriteAll(const char* text, size_t size) {
  while (size > 0) {
    ssize_t n = write(STDERR_FILENO, text, size);
    if (n <= 0) return;
    text += n;
    size -= static_cast<size_t>(n);
  }
}

void WriteString(const char* text) { WriteAll(text, std::strlen(text)); }

void OnFatalSignal(int signo) {
  WriteString("\n==== replay: fatal signal while running input: ");
  WriteAll(g_name.data(), g_name.size());
  WriteString("\n");
  if (g_generated && g_bytes != nullptr) {
    static constexpr char kHex[] = "0123456789abcdef";
    WriteString("input bytes (hex): ");
    for (unsigned char c : *g_bytes) {
      char pair[2] = {kHex[c >> 4], kHex[c & 0xf]};
      WriteAll(pair, 2);
    }
    WriteString("\n");
  }
  signal(signo, SIG_DFL);
  raise(signo);
}

void InstallHandlers() {
  for (int signo : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) {
    signal(signo, OnFatalSignal);
  }
}

bool ReadFile(const fs::path& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out->assign(std::istreambuf_iterator<char>(in),
              std::istreambuf_iterator<char>());
  return true;
}

void Collect(const fs::path& path, std::vector<Input>* inputs) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(path, ec)) {
      if (entry.is_regular_file()) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) Collect(file, inputs);
    return;
  }
  Input input;
  input.name = path.string();
  if (!ReadFile(path, &input.bytes)) {
    std::fprintf(stderr, "replay: cannot read %s\n", input.name.c_str());
    std::exit(2);
  }
  inputs->push_back(std::move(input));
}

// Bytes that often matter to the parsers here: delimiters, quotes, escapes,
// control characters and the starts of UTF-8 sequences.
constexpr char kInteresting[] =
    "\0\t\n\r \"#%&'+,-./:;=?@[\\]{}~\x7f\x80\xbf\xc3\xe2\xf0\xff";

std::string Mutate(std::string bytes, const std::vector<Input>& seeds,
                   std::mt19937_64& rng) {
  auto below = [&rng](size_t n) {
    return n == 0 ? size_t{0} : static_cast<size_t>(rng() % n);
  };
  const size_t steps = 1 + below(4);
  for (size_t step = 0; step < steps; ++step) {
    switch (below(8)) {
      case 0:  // flip a bit
        if (!bytes.empty()) bytes[below(bytes.size())] ^= 1 << below(8);
        break;
      case 1:  // overwrite with an interesting byte
        if (!bytes.empty()) {
          bytes[below(bytes.size())] =
              kInteresting[below(sizeof(kInteresting) - 1)];
        }
        break;
      case 2:  // insert an interesting byte
        bytes.insert(
            bytes.begin() + static_cast<ptrdiff_t>(below(bytes.size() + 1)),
            kInteresting[below(sizeof(kInteresting) - 1)]);
        break;
      case 3:  // insert a random byte
        bytes.insert(
            bytes.begin() + static_cast<ptrdiff_t>(below(bytes.size() + 1)),
            static_cast<char>(rng()));
        break;
      case 4: {  // delete a range
        if (bytes.empty()) break;
        size_t at = below(bytes.size());
        bytes.erase(at, 1 + below(std::min<size_t>(16, bytes.size() - at)));
        break;
      }
      case 5: {  // duplicate a range
        if (bytes.empty() || bytes.size() > 1 << 16) break;
        size_t at = below(bytes.size());
        size_t len = 1 + below(std::min<size_t>(64, bytes.size() - at));
        std::string piece = bytes.substr(at, len);
        bytes.insert(below(bytes.size() + 1), piece);
        break;
      }
      case 6: {  // splice with another seed
        if (seeds.empty()) break;
        const std::string& other = seeds[below(seeds.size())].bytes;
        size_t keep = below(bytes.size() + 1);
        size_t from = below(other.size() + 1);
        bytes = bytes.substr(0, keep) + other.substr(from);
        break;
      }
      default:  // truncate
        bytes.resize(below(bytes.size() + 1));
        break;
    }
  }
  return bytes;
}

long ParseNumber(const char* arg, const char* flag) {
  char* end = nullptr;
  long value = std::strtol(arg, &end, 10);
  if (end == arg || *end != '\0' || value < 0) {
    std::fprintf(stderr, "replay: bad value for %s: %s\n", flag, arg);
    std::exit(2);
  }
  return value;
}

}  // namespace

int main(int argc, char** argv) {
  bool generated = true;
  bool verbose = false;
  long random_inputs = 300;
  long mutations = 24;
  uint64_t seed = 0x6d6370637265640ull;  // "mcpcred"
  std::vector<Input> files;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--no-generated") {
      generated = false;
    } else if (arg.rfind("--random=", 0) == 0) {
      random_inputs = ParseNumber(argv[i] + 9, "--random");
    } else if (arg.rfind("--mutations=", 0) == 0) {
      mutations = ParseNumber(argv[i] + 12, "--mutations");
    } else if (arg.rfind("--seed=", 0) == 0) {
      seed = static_cast<uint64_t>(ParseNumber(argv[i] + 7, "--seed"));
    } else if (arg == "-v") {
      verbose = true;
    } else if (!arg.empty() && arg[0] == '-') {
      // A libFuzzer flag: meaningless here.
    } else {
      Collect(argv[i], &files);
    }
  }
  if (LLVMFuzzerInitialize != nullptr) LLVMFuzzerInitialize(&argc, &argv);
  InstallHandlers();

  const auto start = std::chrono::steady_clock::now();
  size_t runs = 0;
  auto run = [&](const std::string& name, const std::string& bytes,
                 bool is_generated) {
    g_name = name;
    g_bytes = &bytes;
    g_generated = is_generated;
    mcpcred::fuzz::g_current_input = g_name.c_str();
    if (verbose) std::fprintf(stderr, "replay: %s\n", name.c_str());
    // A copy in a buffer of its own exact size, as libFuzzer passes it, so
    // that a sanitizer sees a read past the end.
    std::vector<uint8_t> copy(bytes.begin(), bytes.end());
    LLVMFuzzerTestOneInput(copy.empty() ? nullptr : copy.data(), copy.size());
    ++runs;
  };

  for (const Input& input : files) run(input.name, input.bytes, false);
  size_t generated_runs = 0;
  if (generated) {
    std::mt19937_64 rng(seed);
    run("<generated: empty>", "", true);
    for (int b = 0; b < 256; ++b) {
      run("<generated: byte " + std::to_string(b) + ">",
          std::string(1, static_cast<char>(b)), true);
    }
    for (long i = 0; i < random_inputs; ++i) {
      std::string bytes(static_cast<size_t>(1 + rng() % 1024), '\0');
      for (char& c : bytes) c = static_cast<char>(rng());
      run("<generated: random #" + std::to_string(i) + ">", bytes, true);
    }
    for (size_t f = 0; f < files.size(); ++f) {
      for (long m = 0; m < mutations; ++m) {
        run("<generated: mutation #" + std::to_string(m) + " of " +
                files[f].name + ">",
            Mutate(files[f].bytes, files, rng), true);
      }
    }
    generated_runs = runs - files.size();
  }
  mcpcred::fuzz::g_current_input = nullptr;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  std::fprintf(stderr,
               "replay: %zu files and %zu generated inputs ran, no crash "
               "(%lld ms)\n",
               files.size(), generated_runs, static_cast<long long>(ms));
  return 0;
}
