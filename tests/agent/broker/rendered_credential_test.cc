// A rendered credential is a cache entry: every copy of the provider's values
// it holds (env, headers, token, the values for redaction) is wiped when it
// goes, with nothing left in memory the allocator cannot reach.
#include "agent/broker/rendered_credential.h"

#include <mutex>
#include <set>

#include "gtest/gtest.h"

namespace mcpcred {
namespace {

std::mutex wiped_mu;
std::set<const void*> wiped_zero;  // blocks given back, all zero by then

void RecordWipe(const void* block, size_t bytes) {
  const auto* p = static_cast<const unsigned char*>(block);
  for (size_t i = 0; i < bytes; ++i) {
    if (p[i] != 0) return;
  }
  std::lock_guard<std::mutex> lock(wiped_mu);
  wiped_zero.insert(block);
}

TEST(RenderedCredentialTest, EveryValueIsWipedWhenTheCredentialGoes) {
  config::CredentialConfig config;
  config.name = "api";
  config.env.emplace("API_TOKEN", *config::Template::Parse("{access_token}"));
  config.headers.emplace("Authorization",
                         *config::Template::Parse("Bearer {access_token}"));
  FetchedToken fetched;
  fetched.variables["access_token"] = "tok-0123456789abcdef";
  fetched.token = "tok-0123456789abcdef";

  std::vector<const void*> buffers;
  {
    absl::StatusOr<RenderedCredential> rendered =
        RenderCredential(config, std::move(fetched));
    ASSERT_TRUE(rendered.ok()) << rendered.status();
    buffers = {rendered->env.at("API_TOKEN").data(),
               rendered->headers.at("Authorization").data(),
               rendered->token.data(), rendered->secret_values.at(0).data()};
    SecretArena::SetWipeHookForTesting(&RecordWipe);
  }
  SecretArena::SetWipeHookForTesting(nullptr);
  std::lock_guard<std::mutex> lock(wiped_mu);
  for (const void* buffer : buffers) {
    EXPECT_TRUE(wiped_zero.count(buffer) == 1) << "a value was not wiped";
  }
}

}  // namespace
}  // namespace mcpcred
