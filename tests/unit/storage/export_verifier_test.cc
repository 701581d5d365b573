// The offline verifier of export files: what it names when a record of the
// file is bad, and the head of what it found good.
#include "storage/export_verifier.h"

#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/record_hash.h"

namespace coopcraft::storage {
namespace {

using ::coopcraft::v1::EventRecord;
using ::testing::HasSubstr;

// Records 1..count, each sealed on the one before, as the log stores them.
std::vector<EventRecord> SealedChain(uint64_t count) {
  std::vector<EventRecord> records;
  std::string prev_hash(ZeroHash());
  for (uint64_t position = 1; position <= count; ++position) {
    EventRecord record;
    record.set_position(position);
    record.set_stream("s");
    record.set_revision(position - 1);
    record.set_type("t.A");
    record.set_payload(absl::StrCat("payload ", position));
    SealRecord(prev_hash, &record);
    prev_hash = record.hash();
    records.push_back(std::move(record));
  }
  return records;
}

void WriteRecords(const std::vector<EventRecord>& records, uint64_t first,
                  uint64_t last, std::ostream& out) {
  for (uint64_t position = first; position <= last; ++position) {
    ASSERT_TRUE(WriteExportRecord(records[position - 1], out).ok());
  }
}

// A delimited record whose bytes are no EventRecord: a field tag cut off
// in the middle of its varint.
void WriteGarbageRecord(std::ostream& out) { out << '\x02' << "\xff\xff"; }

TEST(ExportVerifierTest, UnparseableRecordAfterGoodOnesIsNamedByPosition) {
  const std::vector<EventRecord> records = SealedChain(600);
  std::stringstream file;
  ASSERT_TRUE(WriteExportHeader(file).ok());
  WriteRecords(records, 500, 510, file);
  WriteGarbageRecord(file);
  auto verification = VerifyExport(file);
  ASSERT_TRUE(verification.ok()) << verification.status();
  EXPECT_EQ(verification->first_bad_position, 511u);
  EXPECT_EQ(verification->verified_count, 11u);
  EXPECT_EQ(verification->first_position, 500u);
  EXPECT_EQ(verification->head_position, 510u);
  EXPECT_EQ(verification->head_hash, records[509].hash());
}

// An export of 500..600 whose first record is garbage does not say where it
// starts: position 1, which is not even in the file, must not be named.
TEST(ExportVerifierTest, UnparseableFirstRecordNamesNoPosition) {
  const std::vector<EventRecord> records = SealedChain(600);
  std::stringstream file;
  ASSERT_TRUE(WriteExportHeader(file).ok());
  WriteGarbageRecord(file);
  WriteRecords(records, 501, 600, file);
  auto verification = VerifyExport(file);
  ASSERT_TRUE(verification.ok()) << verification.status();
  EXPECT_EQ(verification->first_bad_position, 0u);
  EXPECT_THAT(verification->problem, HasSubstr("first record"));
  EXPECT_THAT(verification->problem, HasSubstr("unknown"));
  EXPECT_EQ(verification->verified_count, 0u);
  EXPECT_EQ(verification->first_position, 0u);
  EXPECT_EQ(verification->head_position, 0u);
  EXPECT_EQ(verification->head_hash, "");
}

TEST(ExportVerifierTest, FirstRecordClaimingPositionZeroNamesNoPosition) {
  std::vector<EventRecord> records = SealedChain(3);
  records[0].set_position(0);
  std::stringstream file;
  ASSERT_TRUE(WriteExportHeader(file).ok());
  WriteRecords(records, 1, 3, file);
  auto verification = VerifyExport(file);
  ASSERT_TRUE(verification.ok()) << verification.status();
  EXPECT_EQ(verification->first_bad_position, 0u);
  EXPECT_THAT(verification->problem, HasSubstr("unknown"));
}

}  // namespace
}  // namespace coopcraft::storage
