// Shared by the files of RocksDbEventLog: open errors, the log's value
// decoding, and the range iterator that
// recovery, scans and chain verification read the log family with.
#ifndef COOPCRAFT_STORAGE_ROCKSDB_LOG_IO_H_
#define COOPCRAFT_STORAGE_ROCKSDB_LOG_IO_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "coopcraft/v1/event_record.pb.h"
#include "rocksdb/db.h"
#include "rocksdb/iterator.h"
#include "rocksdb/slice.h"
#include "rocksdb/status.h"
#include "storage/rocksdb_status.h"

namespace coopcraft::storage {

// An error of opening the database at `path`: FAILED_PRECONDITION when
// another process holds it, NOT_FOUND when there is none.
absl::Status FromOpenError(const rocksdb::Status& status,
                           absl::string_view path);

inline rocksdb::Slice ToSlice(std::string_view bytes) {
  return rocksdb::Slice(bytes.data(), bytes.size());
}

// An 8-byte big-endian position (a log key or an index value); DATA_LOSS
// naming `what` for any other length.
absl::StatusOr<uint64_t> DecodePosition(rocksdb::Slice bytes,
                                        absl::string_view what);

// The stored record at `position` (see stored_record.h).
absl::Status ParseStoredRecord(rocksdb::Slice value, uint64_t position,
                               coopcraft::v1::EventRecord* record);

// DATA_LOSS for a position that should hold a record and does not.
absl::Status MissingRecord(uint64_t position);

// An iterator over the log family limited to positions [from, last],
// positioned at `from`. Long ranges are read as replays (readahead, no
// block cache fill).
class LogRange {
 public:
  LogRange(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family, uint64_t from,
           uint64_t last);
  LogRange(const LogRange&) = delete;
  LogRange& operator=(const LogRange&) = delete;

  rocksdb::Iterator* operator->() { return iterator_.get(); }

 private:
  const std::string lower_;
  const std::string upper_;
  const rocksdb::Slice upper_slice_;  // points into upper_
  std::unique_ptr<rocksdb::Iterator> iterator_;
};

}  // namespace coopcraft::storage

#endif  // COOPCRAFT_STORAGE_ROCKSDB_LOG_IO_H_
