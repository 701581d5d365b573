// AES-256-GCM field sealing: round trips, fresh nonces, and every kind of
// tampering or mismatch reported as DATA_LOSS.
#include "services/privacy/field_cipher.h"

#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace coopcraft::privacy {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

DataKey TestKey() {
  absl::StatusOr<DataKey> key = NewDataKey();
  EXPECT_TRUE(key.ok()) << key.status();
  return key.value_or(DataKey{});
}

TEST(FieldCipherTest, NewDataKeysAreRandom) {
  DataKey a = TestKey();
  DataKey b = TestKey();
  EXPECT_NE(a, b);
  EXPECT_NE(a, DataKey{});
}

TEST(FieldCipherTest, SealThenOpenRoundTrips) {
  DataKey key = TestKey();
  const std::string plaintext = "Amélie Dupont, née le 3 mars 1984";
  absl::StatusOr<std::string> sealed = SealField(key, plaintext, "ctx");
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  EXPECT_EQ(sealed->size(), kNonceSize + plaintext.size() + kTagSize);
  EXPECT_THAT(*sealed, Not(HasSubstr("Dupont")));

  absl::StatusOr<std::string> opened = OpenField(key, *sealed, "ctx");
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(*opened, plaintext);
}

TEST(FieldCipherTest, EmptyPlaintextAndEmptyAssociatedDataRoundTrip) {
  DataKey key = TestKey();
  absl::StatusOr<std::string> sealed = SealField(key, "", "");
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  EXPECT_EQ(sealed->size(), kSealedOverhead);
  absl::StatusOr<std::string> opened = OpenField(key, *sealed, "");
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(*opened, "");
}

TEST(FieldCipherTest, BinaryPlaintextRoundTrips) {
  DataKey key = TestKey();
  std::string plaintext;
  for (int i = 0; i < 1000; ++i) plaintext.push_back(static_cast<char>(i));
  absl::StatusOr<std::string> sealed = SealField(key, plaintext, "ctx");
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  absl::StatusOr<std::string> opened = OpenField(key, *sealed, "ctx");
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(*opened, plaintext);
}

TEST(FieldCipherTest, EverySealUsesAFreshNonce) {
  DataKey key = TestKey();
  absl::StatusOr<std::string> first = SealField(key, "same text", "ctx");
  absl::StatusOr<std::string> second = SealField(key, "same text", "ctx");
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(*first, *second);
  EXPECT_NE(first->substr(0, kNonceSize), second->substr(0, kNonceSize));
}

TEST(FieldCipherTest, WrongKeyIsDataLoss) {
  absl::StatusOr<std::string> sealed = SealField(TestKey(), "secret", "ctx");
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(OpenField(TestKey(), *sealed, "ctx").status().code(),
            absl::StatusCode::kDataLoss);
}

TEST(FieldCipherTest, WrongAssociatedDataIsDataLoss) {
  DataKey key = TestKey();
  absl::StatusOr<std::string> sealed = SealField(key, "secret", "ctx");
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(OpenField(key, *sealed, "ctx2").status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(OpenField(key, *sealed, "").status().code(),
            absl::StatusCode::kDataLoss);
}

TEST(FieldCipherTest, AnyFlippedByteIsDataLoss) {
  DataKey key = TestKey();
  absl::StatusOr<std::string> sealed = SealField(key, "secret", "ctx");
  ASSERT_TRUE(sealed.ok());
  // Nonce, ciphertext and tag bytes alike.
  for (size_t i = 0; i < sealed->size(); ++i) {
    std::string tampered = *sealed;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    EXPECT_EQ(OpenField(key, tampered, "ctx").status().code(),
              absl::StatusCode::kDataLoss)
        << "byte " << i;
  }
}

TEST(FieldCipherTest, TruncatedOrExtendedInputIsDataLoss) {
  DataKey key = TestKey();
  absl::StatusOr<std::string> sealed = SealField(key, "secret", "ctx");
  ASSERT_TRUE(sealed.ok());
  for (size_t size = 0; size < sealed->size(); ++size) {
    EXPECT_EQ(OpenField(key, sealed->substr(0, size), "ctx").status().code(),
              absl::StatusCode::kDataLoss)
        << "size " << size;
  }
  EXPECT_EQ(OpenField(key, *sealed + "x", "ctx").status().code(),
            absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace coopcraft::privacy
