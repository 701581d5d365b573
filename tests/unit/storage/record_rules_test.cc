// The shared building blocks: key encodings, event ids and canonical bytes.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/crc32c.h"
#include "storage/event_id.h"
#include "storage/keys.h"
#include "storage/record_hash.h"
#include "storage/stored_record.h"
#include "tests/unit/storage/storage_test_util.h"

namespace coopcraft::storage {
namespace {

using ::coopcraft::v1::EventRecord;
using testing::StatusIs;

TEST(KeysTest, BigEndianOrderIsNumericOrder) {
  EXPECT_LT(EncodeBigEndian64(255), EncodeBigEndian64(256));
  EXPECT_EQ(EncodeBigEndian64(0x0102030405060708),
            std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8));
  EXPECT_EQ(DecodeBigEndian64(EncodeBigEndian64(UINT64_MAX)), UINT64_MAX);
  EXPECT_EQ(DecodeBigEndian64("short"), std::nullopt);
}

TEST(KeysTest, StreamKeysOfOneStreamSortBetweenPrefixAndLimit) {
  std::string key = StreamRevisionKey("ab", 7);
  EXPECT_EQ(key, std::string("ab\0", 3) + EncodeBigEndian64(7));
  EXPECT_LT(StreamKeyPrefix("ab"), key);
  EXPECT_LT(key, StreamKeyLimit("ab"));
  EXPECT_LT(StreamKeyLimit("ab"), StreamRevisionKey("ab.", 0));
}

TEST(EventIdTest, ParsesEitherCaseAndFormatsLowerCase) {
  auto id = ParseEventId("0B7E2C8E-4f3a-4C1D-9E2B-6A5F0D1C2B3A");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ((*id)[0], 0x0b);
  EXPECT_EQ((*id)[15], 0x3a);
  EXPECT_EQ(FormatEventId(*id), "0b7e2c8e-4f3a-4c1d-9e2b-6a5f0d1c2b3a");
}

TEST(EventIdTest, RejectsMisplacedDashesAndNonHex) {
  EXPECT_THAT(ParseEventId("0b7e2c8e4-f3a-4c1d-9e2b-6a5f0d1c2b3a"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseEventId("0b7e2c8e-4f3a-4c1d-9e2b-6a5f0d1c2b3z"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseEventId(""), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(EventIdTest, GeneratedIdsAreDistinctTimeOrderedVersion7) {
  const int64_t before_millis = absl::ToUnixMillis(absl::Now());
  auto a = GenerateEventId();
  absl::SleepFor(absl::Milliseconds(2));
  auto b = GenerateEventId();
  const int64_t after_millis = absl::ToUnixMillis(absl::Now());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_EQ((*a)[6] >> 4, 7);
  EXPECT_EQ((*a)[8] & 0xc0, 0x80);
  // The first 48 bits are the Unix time in milliseconds, so later ids sort
  // after earlier ones (and land next to each other in the id index).
  int64_t millis = 0;
  for (int i = 0; i < 6; ++i) millis = (millis << 8) | (*a)[i];
  EXPECT_GE(millis, before_millis);
  EXPECT_LE(millis, after_millis);
  EXPECT_LT(*a, *b);
}

TEST(EventIdTest, AForkedChildNeverRepeatsItsParentsRandomBits) {
  // The parent has random bytes buffered; a child that reused them would
  // give the same random part as the parent's next id.
  ASSERT_TRUE(GenerateEventId().ok());
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(fds[0]);
    auto id = GenerateEventId();
    const bool written = id.ok() && write(fds[1], id->data(), id->size()) ==
                                        static_cast<ssize_t>(id->size());
    _exit(written ? 0 : 1);
  }
  close(fds[1]);
  EventIdBytes from_child{};
  ASSERT_EQ(read(fds[0], from_child.data(), from_child.size()),
            static_cast<ssize_t>(from_child.size()));
  close(fds[0]);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  auto from_parent = GenerateEventId();
  ASSERT_TRUE(from_parent.ok());
  EXPECT_FALSE(std::equal(from_child.begin() + 8, from_child.end(),
                          from_parent->begin() + 8))
      << FormatEventId(from_child) << " " << FormatEventId(*from_parent);
}

TEST(Crc32cTest, KnownAnswersAndHardwareAgreesWithPortable) {
  EXPECT_EQ(Crc32c("123456789"), 0xE3069283u);
  EXPECT_EQ(PortableCrc32c("123456789"), 0xE3069283u);
  EXPECT_EQ(Crc32c(""), 0u);
  std::string bytes;
  for (int i = 0; i < 1000; ++i) {
    bytes.push_back(static_cast<char>(i * 7));
    ASSERT_EQ(Crc32c(bytes), PortableCrc32c(bytes)) << i;
  }
}

EventRecord SampleRecord() {
  EventRecord record;
  record.set_position(1);
  record.set_stream("s");
  record.set_revision(0);
  record.set_event_id("0b7e2c8e-4f3a-4c1d-9e2b-6a5f0d1c2b3a");
  record.set_type("t.A");
  record.set_recorded_at_micros(-1);
  record.set_payload("p");
  record.mutable_metadata()->set_actor("a");
  return record;
}

// Pins the encoding of FORMAT.md: an offline verifier must produce these
// exact bytes.
TEST(RecordHashTest, CanonicalBytesFollowFormatMd) {
  std::string bytes;
  AppendCanonicalBytes(SampleRecord(), &bytes);
  std::string expected =
      std::string("\x01", 1) + EncodeBigEndian64(1) + EncodeBigEndian64(1) +
      "s" + EncodeBigEndian64(0) + EncodeBigEndian64(36) +
      "0b7e2c8e-4f3a-4c1d-9e2b-6a5f0d1c2b3a" + EncodeBigEndian64(3) + "t.A" +
      std::string(8, '\xff') + EncodeBigEndian64(1) + "p" +
      EncodeBigEndian64(1) + "a" + EncodeBigEndian64(0) + EncodeBigEndian64(0);
  EXPECT_EQ(bytes, expected);
}

TEST(RecordHashTest, FieldBoundariesAreUnambiguous) {
  EventRecord a = SampleRecord();
  EventRecord b = SampleRecord();
  a.set_type("t.AB");
  a.set_payload("");
  b.set_type("t.A");
  b.set_payload("B");
  EXPECT_NE(ComputeRecordHash(ZeroHash(), a), ComputeRecordHash(ZeroHash(), b));
}

TEST(RecordHashTest, SealedRecordPassesCheckUntilChanged) {
  EventRecord record = SampleRecord();
  SealRecord(ZeroHash(), &record);
  EXPECT_TRUE(CheckStoredRecord(record, 1).ok());
  EXPECT_THAT(CheckStoredRecord(record, 2),
              StatusIs(absl::StatusCode::kDataLoss));
  record.mutable_metadata()->set_actor("b");
  EXPECT_THAT(CheckStoredRecord(record, 1),
              StatusIs(absl::StatusCode::kDataLoss));
}

TEST(StoredRecordTest, RoundTripsAndRejectsAnyFlippedByte) {
  EventRecord record = SampleRecord();
  SealRecord(ZeroHash(), &record);
  std::string value;
  EncodeStoredRecord(record, &value);
  EventRecord decoded;
  ASSERT_TRUE(DecodeStoredRecord(value, 1, &decoded).ok());
  EXPECT_EQ(decoded.SerializeAsString(), record.SerializeAsString());
  EXPECT_THAT(DecodeStoredRecord(value, 2, &decoded),
              StatusIs(absl::StatusCode::kDataLoss));
  for (size_t i = 0; i < value.size(); ++i) {
    std::string flipped = value;
    flipped[i] ^= 0x20;
    ASSERT_THAT(DecodeStoredRecord(flipped, 1, &decoded),
                StatusIs(absl::StatusCode::kDataLoss))
        << "byte " << i;
  }
}

TEST(RecordHashTest, KnownAnswerForSampleRecord) {
  // SHA-256 over 32 zero bytes followed by the canonical bytes above,
  // computed independently with Python's hashlib (see FORMAT.md).
  EventRecord record = SampleRecord();
  std::string hash = ComputeRecordHash(ZeroHash(), record);
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : hash) {
    hex.push_back(kDigits[c >> 4]);
    hex.push_back(kDigits[c & 0xf]);
  }
  EXPECT_EQ(hex,
            "e21c72485cdb24f101c996caa48b97a501a7a18e4995efded25c2c749fcc8c17");
}

}  // namespace
}  // namespace coopcraft::storage
