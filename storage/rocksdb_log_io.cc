// RocksDB plumbing shared by the event log's files.
#include "storage/rocksdb_log_io.h"

#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "rocksdb/options.h"
#include "storage/keys.h"
#include "storage/stored_record.h"

namespace coopcraft::storage {
namespace {

// Scans longer than this many positions are replays: they read with
// readahead and without filling the block cache, which would otherwise
// evict the recent blocks that tailing readers share.
constexpr uint64_t kBulkScanPositions = 4096;
constexpr size_t kBulkReadahead = 4 << 20;

}  // namespace

absl::Status FromOpenError(const rocksdb::Status& status,
                           absl::string_view path) {
  // RocksDB reports its LOCK file held elsewhere as a plain IOError, told
  // apart only by the message's opening words (RocksDB 7.8: "While lock
  // file: <dir>/LOCK: ..." when another process holds it, "lock hold by
  // current process, ..." when this one does). Only the start is compared:
  // the path follows, and may contain any word.
  if (status.IsIOError() && status.getState() != nullptr &&
      (absl::StartsWith(status.getState(), "While lock file: ") ||
       absl::StartsWith(status.getState(), "lock hold by current process"))) {
    return absl::FailedPreconditionError(absl::StrCat(
        "event log data dir ", path,
        " is in use by another process (or another open event log in this "
        "process); stop it first. RocksDB said: ",
        status.ToString()));
  }
  if (status.IsInvalidArgument() &&
      absl::StrContains(status.ToString(), "does not exist")) {
    return absl::NotFoundError(
        absl::StrCat("no event log in ", path, ": ", status.ToString()));
  }
  return FromRocksDb(status, absl::StrCat("opening event log at ", path));
}

absl::StatusOr<uint64_t> DecodePosition(rocksdb::Slice bytes,
                                        absl::string_view what) {
  std::optional<uint64_t> value =
      DecodeBigEndian64(std::string_view(bytes.data(), bytes.size()));
  if (!value.has_value()) {
    return absl::DataLossError(
        absl::StrCat(what, " is ", bytes.size(), " bytes instead of 8"));
  }
  return *value;
}

absl::Status ParseStoredRecord(rocksdb::Slice value, uint64_t position,
                               coopcraft::v1::EventRecord* record) {
  return DecodeStoredRecord(std::string_view(value.data(), value.size()),
                            position, record);
}

absl::Status MissingRecord(uint64_t position) {
  return absl::DataLossError(
      absl::StrCat("event log record at position ", position, " is missing"));
}

LogRange::LogRange(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family,
                   uint64_t from, uint64_t last)
    : lower_(EncodeBigEndian64(from)),
      upper_(EncodeBigEndian64(last + 1)),
      upper_slice_(upper_) {
  rocksdb::ReadOptions options;
  options.iterate_upper_bound = &upper_slice_;
  if (last - from >= kBulkScanPositions) {
    options.fill_cache = false;
    options.readahead_size = kBulkReadahead;
  }
  iterator_.reset(db->NewIterator(options, family));
  iterator_->Seek(lower_);
}

}  // namespace coopcraft::storage
