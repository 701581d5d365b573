// RocksDB options of the event log's database, in one place so that the
// benchmark's raw-RocksDB reference runs with exactly the same tuning.
#ifndef COOPCRAFT_STORAGE_ROCKSDB_TUNING_H_
#define COOPCRAFT_STORAGE_ROCKSDB_TUNING_H_

#include <memory>
#include <string_view>

#include "rocksdb/cache.h"
#include "rocksdb/options.h"

namespace coopcraft::storage {

// Database-wide options (background jobs, WAL handling, sync pacing).
rocksdb::DBOptions EventLogDbOptions();

// Options of column family `name` (one of the kXxxFamily names of
// storage/keys.h; any other name gets general-purpose settings). `cache` is
// the block cache shared by all families of the database.
rocksdb::ColumnFamilyOptions EventLogFamilyOptions(
    std::string_view name, const std::shared_ptr<rocksdb::Cache>& cache);

// The block cache one database shares across its families.
std::shared_ptr<rocksdb::Cache> NewEventLogBlockCache();

}  // namespace coopcraft::storage

#endif  // COOPCRAFT_STORAGE_ROCKSDB_TUNING_H_
