// RocksDbProjectionStore: projection state and checkpoints in one column
// family of the log's database. Keys: "<projection>\0c" holds the
// checkpoint (position as 8 bytes big-endian, then version as 4 bytes
// big-endian); "<projection>\0s<key>" holds one state key.
#ifndef COOPCRAFT_SERVICES_PROJECTIONS_ROCKSDB_PROJECTION_STORE_H_
#define COOPCRAFT_SERVICES_PROJECTIONS_ROCKSDB_PROJECTION_STORE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/projections/projection_store.h"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
}  // namespace rocksdb

namespace coopcraft::projections {

// The column family name to request through
// RocksDbEventLogOptions::extra_column_families.
inline constexpr char kProjectionColumnFamily[] = "projections";

// Thread safety: as ProjectionStore. Commits are not synced: a crash may
// lose the latest commits, which only moves the checkpoint back (the log
// replays them); a WriteBatch keeps state and checkpoint together.
class RocksDbProjectionStore final : public ProjectionStore {
 public:
  // `db` and `family` are not owned and must outlive the store.
  // INVALID_ARGUMENT when either is null.
  static absl::StatusOr<std::unique_ptr<RocksDbProjectionStore>> Create(
      rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family);

  absl::StatusOr<std::optional<Checkpoint>> Load(
      std::string_view projection,
      absl::FunctionRef<absl::Status(std::string_view key,
                                     std::string_view value)>
          visit) const override;
  // One RocksDB write batch for every part.
  absl::Status CommitAll(const std::vector<ProjectionCommit>& commits) override;
  absl::Status Reset(std::string_view projection) override;

 private:
  RocksDbProjectionStore(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family)
      : db_(db), family_(family) {}

  rocksdb::DB* const db_;
  rocksdb::ColumnFamilyHandle* const family_;
};

}  // namespace coopcraft::projections

#endif  // COOPCRAFT_SERVICES_PROJECTIONS_ROCKSDB_PROJECTION_STORE_H_
