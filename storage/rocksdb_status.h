// RocksDB statuses as absl::Status, one mapping for every RocksDB database
// of the service (the event log, the projection store, the person keys).
#ifndef COOPCRAFT_STORAGE_ROCKSDB_STATUS_H_
#define COOPCRAFT_STORAGE_ROCKSDB_STATUS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "rocksdb/status.h"

namespace coopcraft::storage {

// `status` with `context` in front: OK stays OK; NOT_FOUND; DATA_LOSS for
// corruption; UNAVAILABLE for I/O errors and contention, which a retry or
// an operator can clear; INTERNAL otherwise.
absl::Status FromRocksDb(const rocksdb::Status& status,
                         absl::string_view context);

}  // namespace coopcraft::storage

#endif  // COOPCRAFT_STORAGE_ROCKSDB_STATUS_H_
