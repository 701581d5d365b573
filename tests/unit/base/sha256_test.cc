#include "services/base/sha256.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"

namespace coopcraft {
namespace {

std::string Hex(const Sha256Digest& digest) {
  return absl::BytesToHexString(absl::string_view(
      reinterpret_cast<const char*>(digest.data()), digest.size()));
}

// Test vectors of FIPS 180-2, appendix B.
TEST(Sha256Test, MatchesTheStandardsVectors) {
  EXPECT_EQ(Hex(Sha256({"abc"})),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Hex(Sha256({""})),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(
      Hex(Sha256({"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"})),
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256Test, HashesTheConcatenationOfItsParts) {
  EXPECT_EQ(Sha256({"a", "", "bc"}), Sha256({"abc"}));
  EXPECT_NE(Sha256({"ab", "d"}), Sha256({"abc"}));
}

TEST(Sha256Test, BytesAreTheDigest) {
  const Sha256Digest digest = Sha256({"abc"});
  EXPECT_EQ(
      Sha256Bytes({"abc"}),
      std::string(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

// Each thread has its own context: hashes interleaved across threads must
// not mix.
TEST(Sha256Test, ThreadsHashIndependently) {
  const Sha256Digest expected_a = Sha256({"record a"});
  const Sha256Digest expected_b = Sha256({"record b"});
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const bool a = (i + t) % 2 == 0;
        if (Sha256({a ? "record a" : "record b"}) !=
            (a ? expected_a : expected_b)) {
          ++mismatches[t];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace coopcraft
