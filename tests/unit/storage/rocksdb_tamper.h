// Changing a record a RocksDbEventLog has stored, behind the log's back, as
// a forger or a failing disk would: the one place storage tests reach into
// the log's own column family through RocksDbEventLog::db().
#ifndef COOPCRAFT_TESTS_UNIT_STORAGE_ROCKSDB_TAMPER_H_
#define COOPCRAFT_TESTS_UNIT_STORAGE_ROCKSDB_TAMPER_H_

#include <cstdint>
#include <functional>
#include <string>

#include "coopcraft/v1/event_record.pb.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "storage/keys.h"
#include "storage/rocksdb_event_log.h"
#include "storage/stored_record.h"

namespace coopcraft::storage::testing {

// Passes the stored bytes of `position` (the serialized record and its
// CRC-32C) to `change` and writes back whatever it leaves there. Unless
// `change` recomputes the CRC, the record no longer reads.
inline void TamperStoredRecord(
    RocksDbEventLog& log, uint64_t position,
    const std::function<void(std::string* value)>& change) {
  rocksdb::ColumnFamilyHandle* family = log.column_family(kLogFamily);
  const std::string key = EncodeBigEndian64(position);
  std::string value;
  ASSERT_TRUE(log.db()->Get({}, family, key, &value).ok());
  change(&value);
  ASSERT_TRUE(log.db()->Put({}, family, key, value).ok());
}

// Passes the decoded record of `position` to `change` and stores the result
// with a fresh CRC, so it still reads: only the hash chain can tell.
inline void TamperDecodedRecord(
    RocksDbEventLog& log, uint64_t position,
    const std::function<void(coopcraft::v1::EventRecord* record)>& change) {
  TamperStoredRecord(log, position, [&](std::string* value) {
    coopcraft::v1::EventRecord record;
    ASSERT_TRUE(DecodeStoredRecord(*value, position, &record).ok());
    change(&record);
    EncodeStoredRecord(record, value);
  });
}

}  // namespace coopcraft::storage::testing

#endif  // COOPCRAFT_TESTS_UNIT_STORAGE_ROCKSDB_TAMPER_H_
